import type en from "./en.js";

/** 简体中文: Errors for bad input: the place (file:line:column: path) is written as it is, the detail from here. */
export default {
  "value.nothing": "空缺",
  "value.text": "文本 {text}",
  "value.emptyArray": "空数组",
  "value.array": "长度为 {count} 的数组",
  "value.object": "一个对象",
  "error.unknownExample": '没有名为 "{name}" 的内置练习；可用的有：{names}',
  "error.fileAndExample": '需要题目文件 FILE 或 --example NAME，但两者都给了（"{file}" 和 "{example}"）',
  "error.noProblem": "需要题目文件 FILE 或 --example NAME，但两者都没有（gradstep examples 列出内置练习）",
  "error.fileOrExample": "需要题目文件 FILE 或 --example NAME（恰好一个）",
  "error.noClaims": '需要检查的手算值，但一个也没有（文件中的 "claims" 列表，或 --claims FILE）',
} satisfies Readonly<Record<keyof typeof en, string>>;
