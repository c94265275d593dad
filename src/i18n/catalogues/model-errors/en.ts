/** Errors for bad models, data sets, tables and training settings: the place is written as it is, the detail from here. English: the source the other languages translate key by key. */
export default {} as const;
