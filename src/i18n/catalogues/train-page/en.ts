/** The page's Train tab, and the labels a screen reader reads. English: the source the other languages translate key by key. */
export default {} as const;
