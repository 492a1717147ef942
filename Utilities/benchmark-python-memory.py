#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Activation memory of one training step of revgan.nn's networks from Python, by depth and
gradient mode: peak bytes of tensor storage (revgan.nn.track_memory) around
net(x).square().mean().backward(), for a ReversibleSequence of 16 channels on 1x16x24^3 and
SRCNN+kR (width 16, residual) on 1x1x32^3. Prints a table, or one JSON object per row with --json.

Usage: PYTHONPATH=build/Wrapping/Python /usr/bin/python3 Utilities/benchmark-python-memory.py [--json]
"""

import argparse
import json

import torch

import revgan.nn


def peak_bytes(network, depth, mode):
    torch.manual_seed(4)
    if network == "sequence":
        net = revgan.nn.ReversibleSequence(16, depth=depth, dimensions=3, gradient_mode=mode)
        x = torch.randn(1, 16, 24, 24, 24, requires_grad=True)
    else:
        net = revgan.nn.generator("srcnn", dimensions=3, width=16, depth=depth, residual=True, gradient_mode=mode)
        x = torch.randn(1, 1, 32, 32, 32)
    with revgan.nn.track_memory() as memory:
        net(x).square().mean().backward()
    return memory.peak_bytes


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="one JSON object per row")
    parser.add_argument("--depths", type=int, nargs="+", default=[2, 4, 8])
    arguments = parser.parse_args()
    if not arguments.json:
        print(f"{'network':10} {'mode':11} " + " ".join(f"{'depth ' + str(d):>9}" for d in arguments.depths)
              + "   (peak MiB)")
    for network in ("sequence", "srcnn"):
        for mode in ("reversible", "naive"):
            peaks = [peak_bytes(network, depth, mode) for depth in arguments.depths]
            if arguments.json:
                for depth, peak in zip(arguments.depths, peaks):
                    print(json.dumps({"benchmark": "python-memory", "network": network, "mode": mode,
                                      "depth": depth, "peak_activation_bytes": peak}))
            else:
                print(f"{network:10} {mode:11} " + " ".join(f"{peak / 2**20:9.1f}" for peak in peaks))


if __name__ == "__main__":
    main()
