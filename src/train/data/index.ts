export { shuffledOrder, splitOff, subset, type Dataset } from "./dataset.js";
export { loadIdxPair, readIdx, type Idx } from "./idx.js";
export { csvDataset, loadCsv, type CsvOptions } from "./csv.js";
export { FASHION_MNIST_CLASSES, FASHION_MNIST_DIR, loadDigits, loadFashionMnist } from "./builtin.js";
