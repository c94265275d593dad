/** train, eval, predict, inspect, export, examples and serve: their reports and their help. English: the source the other languages translate key by key. */
export default {} as const;
