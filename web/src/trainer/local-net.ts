import { buildNetwork, type Network } from "../../../src/engine/network.js";
import { forward } from "../../../src/engine/propagate.js";
import { createWorkspace, type Workspace } from "../../../src/engine/workspace.js";
import type { Snapshot } from "./digits-protocol.js";

/**
 * The training worker's network as of its last snapshot, on the page's own
 * thread in the engine's float32 TypeScript: one forward pass for one drawing
 * takes well under a millisecond, and answers while the worker is busy with
 * an epoch.
 */
export class LocalNetwork {
  private net: Network | undefined;
  private workspace: Workspace | undefined;

  /** Takes a snapshot's parameters, building the network again only when its shape changed. */
  load(snapshot: Snapshot): void {
    const same =
      this.net?.inputs === snapshot.inputs &&
      this.net.layers.length === snapshot.layers.length &&
      this.net.layers.every((layer, k) => layer.units === snapshot.layers[k]!.units);
    if (!same || !this.net) {
      let inputs = snapshot.inputs;
      const layers = snapshot.layers.map((layer) => {
        const weights = Array.from({ length: layer.units }, () => new Array<number>(inputs).fill(0));
        inputs = layer.units;
        return {
          units: layer.units,
          activation: layer.activation,
          weights,
          bias: { mode: "perNeuron" as const, values: new Array<number>(layer.units).fill(0) },
        };
      });
      this.net = buildNetwork({ inputs: snapshot.inputs, layers }, "float32");
      this.workspace = createWorkspace(this.net, 1);
    }
    this.net.layers.forEach((layer, k) => {
      layer.weights.data.set(snapshot.layers[k]!.weights);
      layer.bias.data.set(snapshot.layers[k]!.bias);
    });
  }

  /** The output layer's activations (the softmax probabilities) for one input. */
  probabilities(input: Float32Array): Float32Array | undefined {
    const net = this.net;
    if (!net) return undefined;
    const x = net.backend.matrix(1, net.inputs);
    x.data.set(input);
    return Float32Array.from(forward(net, x, this.workspace).at(-1)!.a.data);
  }
}
