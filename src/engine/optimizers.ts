import type { Gradients } from "./propagate.js";
import type { Network } from "./network.js";

/** Plain gradient descent, in place: w ← w − η·dL/dw for every weight and bias. */
export function sgdStep(net: Network, gradients: Gradients, learningRate: number): void {
  net.layers.forEach((layer, k) => {
    const grad = gradients.layers[k]!;
    const W = layer.weights.data, dW = grad.weights.data;
    for (let i = 0; i < W.length; i++) W[i]! -= learningRate * dW[i]!;
    for (let i = 0; i < layer.bias.length; i++) layer.bias[i]! -= learningRate * grad.bias[i]!;
  });
}
