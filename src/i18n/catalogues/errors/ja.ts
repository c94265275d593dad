import type en from "./en.js";

/** 日本語: Errors for bad input: the place (file:line:column: path) is written as it is, the detail from here. */
export default {
  "value.nothing": "何もない",
  "value.text": "文字列 {text}",
  "value.emptyArray": "空の配列",
  "value.array": "要素数 {count} の配列",
  "value.object": "オブジェクト",
  "error.unknownExample": '"{name}" という組み込みの演習はない。次のいずれか：{names}',
  "error.fileAndExample": '問題ファイル FILE か --example NAME のどちらかが必要だが、両方が指定された（"{file}" と "{example}"）',
  "error.noProblem": "問題ファイル FILE か --example NAME が必要だが、どちらもない（gradstep examples で組み込みの演習を一覧表示）",
  "error.fileOrExample": "問題ファイル FILE か --example NAME が必要（どちらか 1 つ）",
  "error.noClaims": '確認する値が必要だが、1 つもない（ファイル中の "claims" リスト、または --claims FILE）',
} satisfies Readonly<Record<keyof typeof en, string>>;
