/** Errors for bad input: the place (file:line:column: path) is written as it is, the detail from here. English: the source the other languages translate key by key. */
export default {
  // A value as a reader names it in "found …".
  "value.nothing": "nothing",
  "value.text": "the text {text}",
  "value.emptyArray": "an empty array",
  "value.array": "an array of {count}",
  "value.object": "an object",
  "error.unknownExample": 'no built-in example "{name}"; expected one of: {names}',
  "error.fileAndExample": 'expected a problem FILE or --example NAME, found both ("{file}" and "{example}")',
  "error.noProblem": "expected a problem FILE or --example NAME, found neither (gradstep examples lists the built-in ones)",
  "error.fileOrExample": "expected a problem FILE or --example NAME (exactly one)",
  "error.noClaims": 'expected claims to check, found none (a "claims" list in the file, or --claims FILE)',
} as const;
