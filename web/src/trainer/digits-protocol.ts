import type { Route } from "../../../src/kernels/routes.js";
import type { MessageKey, MessageValues } from "../../../src/i18n/translate.js";
import type { Lang } from "../../../src/i18n/lang.js";

/** Messages between the digits view and its training Web Worker (digits-worker.ts). */
export interface DigitsConfig {
  /** The built-in digits, or the four IDX files of Fashion-MNIST that the user gave. */
  readonly source: "digits" | "files";
  /** Units of each hidden layer (ReLU); the output is a softmax over the classes. */
  readonly hidden: readonly number[];
  readonly learningRate: number;
  readonly batchSize: number;
  /** Threads that split the kernels' products: 1, or 2 for the training worker and one product worker. */
  readonly threads: number;
  readonly seed: number;
  /** Where the built-in digits' files are: data/ beside the page. */
  readonly dataUrl: string;
  /** The page's language, for the worker's own errors (a diverging run says where in it). */
  readonly lang: Lang;
}

export interface IdxFile {
  readonly name: string;
  readonly bytes: ArrayBuffer;
}

export type ToDigitsWorker =
  | { readonly type: "start"; readonly config: DigitsConfig; readonly files?: readonly IdxFile[] }
  | { readonly type: "run"; readonly running: boolean }
  /** From the next epoch on, without starting again. */
  | { readonly type: "settings"; readonly learningRate: number; readonly batchSize: number };

/** A network's parameters, layer by layer, for the page to run its own forward pass (the drawing's probabilities). */
export interface Snapshot {
  readonly inputs: number;
  readonly layers: readonly { readonly units: number; readonly activation: "relu" | "softmax"; readonly weights: Float32Array; readonly bias: Float32Array }[];
}

export interface MisclassifiedImage {
  readonly index: number;
  readonly label: number;
  readonly predicted: number;
  /** 28 × 28 grey levels, 0 background, 255 full ink. */
  readonly pixels: Uint8Array;
}

export type FromDigitsWorker =
  | {
      readonly type: "ready";
      readonly route: Route;
      /** Threads the kernels run on (1 where the page is not cross-origin isolated). */
      readonly threads: number;
      readonly trainCount: number;
      readonly testCount: number;
      readonly classNames: readonly string[];
      readonly layers: readonly number[];
      readonly snapshot: Snapshot;
    }
  /** Within an epoch, about ten times a second: the batches since the last report. */
  | {
      readonly type: "progress";
      /** Epochs so far, fractional: 1.5 is halfway through the second. */
      readonly at: number;
      readonly loss: number;
      readonly accuracy: number;
      /** Over the epoch so far. */
      readonly samplesPerSecond: number;
    }
  /** After each epoch: held-out figures, the confusion matrix on the test set, some test images it got wrong, and the network. */
  | {
      readonly type: "epoch";
      readonly epoch: number;
      readonly trainLoss: number;
      readonly trainAccuracy: number;
      readonly testLoss: number;
      readonly testAccuracy: number;
      readonly samplesPerSecond: number;
      readonly seconds: number;
      readonly confusion: Int32Array;
      readonly wrong: number;
      readonly misclassified: readonly MisclassifiedImage[];
      readonly snapshot: Snapshot;
    }
  /** Training started or stopped: sent once the worker has taken a run message, which waits for the epoch under way. */
  | { readonly type: "running"; readonly running: boolean }
  /** What the worker is doing, as a message of the page's catalogue. */
  | { readonly type: "status"; readonly key: MessageKey }
  /** In English; with the message's key and values where the page's catalogue has it. */
  | { readonly type: "error"; readonly message: string; readonly key?: MessageKey; readonly values?: MessageValues };
