import { readFileSync } from "node:fs";
import type { Backend } from "../engine/backend.js";
import type { NetworkSpec } from "../engine/network.js";
import { networkTensors, writeAtomically } from "../io/model-file.js";
import { readSafeTensors, writeSafeTensors, type Tensor } from "../io/safetensors.js";
import { InputError } from "../problem/input-error.js";
import { startTraining, type EpochMetrics, type TrainingState, type TrainSettings } from "./trainer.js";

/** What a checkpoint records besides tensors; a resumed run must match it. */
interface Record {
  readonly epoch: number;
  readonly steps: number;
  readonly history: readonly EpochMetrics[];
  readonly settings: TrainSettings;
  /** The architecture and data the run trains, as a string compared on resume. */
  readonly run: string;
}

const KEY = "gradstep-checkpoint";

/** Writes the state after an epoch to `file` atomically: parameters, optimizer state and history. */
export function saveCheckpoint(file: string, state: TrainingState, settings: TrainSettings, run: string): void {
  const tensors = new Map<string, Tensor>(networkTensors(state.net));
  const optimizer = state.optimizer.state();
  optimizer.buffers.forEach((buffer, i) => tensors.set(`optimizer.${String(i).padStart(3, "0")}`, { shape: [buffer.length], data: buffer }));
  const record: Record = { epoch: state.epoch, steps: optimizer.steps, history: state.history, settings, run };
  writeAtomically(file, writeSafeTensors(tensors, { [KEY]: JSON.stringify(record) }));
}

/**
 * The state a checkpoint holds, rebuilt on `backend`, for `train` to go on
 * from. Refuses a checkpoint of another run (other data, architecture or
 * settings), which could not continue it exactly.
 */
export function loadCheckpoint(file: string, spec: NetworkSpec, backend: Backend, settings: TrainSettings, run: string): TrainingState {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch {
    throw new InputError("expected a checkpoint to resume from, found no such file", { file });
  }
  const { tensors, metadata } = readSafeTensors(bytes, file);
  const text = metadata[KEY];
  if (!text) throw new InputError("expected a gradstep checkpoint, found a safetensors file without its training record", { file });
  const record = JSON.parse(text) as Record;
  if (record.run !== run) throw new InputError(`expected a checkpoint of this run (${run}), found one of ${record.run}`, { file });
  const differing = (Object.keys(settings) as (keyof TrainSettings)[]).filter((key) => key !== "epochs" && JSON.stringify(settings[key]) !== JSON.stringify(record.settings[key]));
  if (differing.length > 0) throw new InputError(`expected the checkpoint's settings, found different ${differing.join(", ")}; resume with the same options`, { file });
  const restored: NetworkSpec = {
    inputs: spec.inputs,
    layers: spec.layers.map((layer, k) => {
      const w = tensors.get(`layers.${k}.weight`)!, b = tensors.get(`layers.${k}.bias`)!;
      const inputs = k === 0 ? spec.inputs : spec.layers[k - 1]!.units;
      return {
        ...layer,
        weights: Array.from({ length: layer.units }, (_, j) => Array.from(w.data.subarray(j * inputs, (j + 1) * inputs))),
        bias: { mode: "perNeuron", values: Array.from(b.data) },
      };
    }),
  };
  const state = startTraining(restored, backend, settings.optimizer);
  const buffers = [...tensors.keys()].filter((name) => name.startsWith("optimizer.")).sort().map((name) => Float32Array.from(tensors.get(name)!.data));
  state.optimizer.restore({ steps: record.steps, buffers });
  return { ...state, history: record.history, epoch: record.epoch };
}
