#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Times one full unpaired training step of the AUTHORS' PyTorch code (tychovdo/RevGAN, CVPR 2019).

The step is their model's own optimize_parameters(): the forward cycles A->B->A and B->A->B, the
generators' update (LSGAN + lambda 10 cycle losses, no identity loss), then the discriminators'
update through their image pools, with Adam. Models:
  revgan    their UnpairedRevGANModel (models/unpaired_revgan_model.py): per-domain encoders and
            decoders around one shared core of `depth` ReversibleResnetBlocks on 4 x ngf channels,
            in their default memory-saving mode (not --use_naive);
  cyclegan  their CycleGANModel (models/cycle_gan_model.py): two ResnetGenerators resnet_<depth>blocks.
Both with ngf 32, ndf 64 (PatchGAN, 3 layers), instance norm, batch 1, random images in [-1, 1] of
size x size, on the CPU. Every other option is their default, read from their own argparse parser.

The authors' code is imported from --authors at run time; nothing of it is copied here. It is the
counterpart of `revgan-bench speed` (same step, same settings); Utilities/compare-with-authors.sh
runs both, interleaved.

Which memcnn: their models/networks.py does `from memcnn.models.revop import ReversibleBlock`. Run as
they run it (python train.py from the repository root), that resolves to the copy vendored in their
repository (memcnn/, "a modified version of MemCNN" per their README; empty __init__, no version).
This comparison uses the released memcnn 1.5.2 instead, so --memcnn goes on sys.path AHEAD of the
authors' directory, and the harness checks that `memcnn` really came from there. With 1.5.2 their
call ReversibleBlock(F, G, coupling) gets 1.5.2's defaults: keep_input=False, keep_input_inverse=False,
implementation_fwd=implementation_bwd=-1, i.e. the InvertibleModuleWrapper that frees each block's
input and reconstructs it in the backward pass (memcnn's memory-saving mode, which is what their code
asks for by default; their --use_naive would ask for implementation 2, which 1.5.2 does not have).

Usage: authors-step-time.py --authors DIR --memcnn DIR [--model revgan|cyclegan] [--depth N]
         [--size 128] [--warmup 2] [--repeat 5] [--threads 2] [--seed 1] [--json]
Needs: python3 with torch (tested: Debian's python3-torch 1.13), numpy and PIL (their util/util.py
imports them). torchvision, visdom and dominate are NOT needed (see the stub below).
"""
import argparse
import contextlib
import json
import os
import random
import sys
import time
import types

# The authors' model names and files for our model names.
AUTHORS_MODEL = {"revgan": "unpaired_revgan", "cyclegan": "cycle_gan"}


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--authors", required=True, help="checkout of tychovdo/RevGAN")
    parser.add_argument("--memcnn", required=True, help="checkout of memcnn at tag 1.5.2 (the folder holding memcnn/)")
    parser.add_argument("--model", choices=sorted(AUTHORS_MODEL), default="revgan")
    parser.add_argument("--depth", type=int, default=6,
                        help="reversible blocks of the RevGAN core, or residual blocks of each CycleGAN generator")
    parser.add_argument("--size", type=int, default=128, help="image extent (size x size)")
    parser.add_argument("--warmup", type=int, default=2, help="untimed steps first")
    parser.add_argument("--repeat", type=int, default=5, help="timed steps (median reported)")
    parser.add_argument("--threads", type=int, default=2, help="torch.set_num_threads")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="one JSON line instead of text")
    arguments = parser.parse_args()
    if arguments.depth < 1 or arguments.repeat < 1 or arguments.warmup < 0 or arguments.threads < 1:
        parser.error("--depth, --repeat and --threads must be positive, --warmup not negative")
    # Their generators downsample twice and the PatchGAN three times (stride 2, kernel 4).
    if arguments.size < 32 or arguments.size % 4 != 0:
        parser.error("--size must be a multiple of 4, at least 32 (the discriminator needs room)")
    return arguments


def import_authors_code(authors_dir, memcnn_dir):
    """Puts memcnn 1.5.2 and then the authors' checkout on sys.path; returns (models, memcnn)."""
    authors_dir = os.path.abspath(authors_dir)
    memcnn_dir = os.path.abspath(memcnn_dir)
    if not os.path.isfile(os.path.join(authors_dir, "models", "unpaired_revgan_model.py")):
        sys.exit("authors-step-time: %s is not a checkout of tychovdo/RevGAN" % authors_dir)
    if not os.path.isfile(os.path.join(memcnn_dir, "memcnn", "__init__.py")):
        sys.exit("authors-step-time: %s holds no memcnn package" % memcnn_dir)
    # Order matters: both folders contain a top-level `memcnn`; the first one on sys.path wins.
    sys.path[0:0] = [memcnn_dir, authors_dir]

    # Stub: their options/base_options.py does `import data` at module level, and their data package
    # imports torchvision (data/base_dataset.py) to load image folders. The harness feeds random
    # tensors through set_input and never builds a dataset; BaseOptions only uses data in
    # gather_options (the dataset's extra options), which the harness does not call. So an empty
    # module stands in for `data`: nothing of it runs in, or before, the timed step.
    sys.modules.setdefault("data", types.ModuleType("data"))

    import memcnn
    memcnn_origin = os.path.abspath(os.path.dirname(memcnn.__file__))
    if memcnn_origin != os.path.join(memcnn_dir, "memcnn"):
        sys.exit("authors-step-time: memcnn was imported from %s, not from --memcnn" % memcnn_origin)
    import models  # their models/ package (models/__init__.py: create_model)
    return models, memcnn


def authors_options(model, depth, size):
    """Their TrainOptions parser with the model's own options, parsed as a command line would be:
    every attribute their initialize() reads, at their defaults unless set here."""
    import options.train_options
    import models
    parser = argparse.ArgumentParser()
    parser = options.train_options.TrainOptions().initialize(parser)
    parser = models.get_option_setter(AUTHORS_MODEL[model])(parser, True)
    opt = parser.parse_args([
        "--dataroot", "unused",              # required by their parser; no dataset is read
        "--model", AUTHORS_MODEL[model],
        "--which_model_netG", "resnet_%dblocks" % depth,  # n_blocks: the core depth or ResNet blocks
        "--ngf", "32", "--ndf", "64",
        "--lambda_identity", "0",            # their RevGAN default is 0.5; 0 as revgan-bench (no identity loss)
        "--loadSize", str(size), "--fineSize", str(size),  # informational: the input is size x size
        "--gpu_ids", "-1",
    ])
    # What their BaseOptions.parse() adds after parsing (without printing or writing opt.txt).
    opt.isTrain = True
    opt.gpu_ids = []  # "-1": CPU
    return opt


def copy_core_input(core):
    """Workaround, the one change to how their RevGAN runs: the core gets a copy of its input.

    Without it their step fails with memcnn 1.5.2 (and torch 1.13) in the first backward pass:
    "one of the variables needed for gradient computation has been modified by an inplace operation".
    Their encoders end in a ReLU, which keeps its output for its own backward; that output is the
    first core block's input, which memcnn's InvertibleModuleWrapper (keep_input=False) frees and
    later restores with Tensor.set_(), bumping the version autograd checks. This is memcnn's open
    issue #70 ("ReLU before Inversible layers", memcnn 1.5.1, torch 1.10). (Their vendored memcnn
    fails on torch 1.13 too, in its own AdditiveBlockFunction.backward.) With a copy, the blocks free
    and rebuild the copy, every block keeps its default flags and still reconstructs its input in the
    backward pass, and the step does the same arithmetic. Cost: one copy of a 4*ngf x size/4 x size/4
    tensor per core call (4 a step, about 0.5 MB each at 128x128: microseconds against a step of
    seconds), and the encoder's output stays in memory, which only matters for memory, not timed here.
    """
    forward = core.forward

    def forward_on_copy(input, inverse=False):
        return forward(input.clone(), inverse=inverse)

    core.forward = forward_on_copy  # nn.Module.__call__ finds the instance attribute first


def count_parameters(model, prefix):
    return sum(p.numel() for name in model.model_names if name.startswith(prefix)
               for p in getattr(model, "net" + name).parameters())


def main():
    arguments = parse_arguments()
    models, memcnn = import_authors_code(arguments.authors, arguments.memcnn)
    import torch
    torch.set_num_threads(arguments.threads)
    torch.manual_seed(arguments.seed)
    random.seed(arguments.seed)  # their ImagePool draws with `random` once it holds 50 images

    opt = authors_options(arguments.model, arguments.depth, arguments.size)
    # Their constructors print progress ("initialize network with normal", ...): keep stdout for
    # the result alone.
    with contextlib.redirect_stdout(sys.stderr):
        model = models.create_model(opt)
    if arguments.model == "revgan":
        # Their default, memory-saving mode (checked, not assumed): each core block is memcnn's
        # InvertibleModuleWrapper that discards its inputs.
        blocks = [block.rev_block for block in model.netG_core.model]
        assert all(isinstance(b, memcnn.InvertibleModuleWrapper) and not b.keep_input and
                   not b.keep_input_inverse and not b.disable for b in blocks), "not memcnn's reversible mode"
        copy_core_input(model.netG_core)

    def one_step():
        # As their train.py: set_input with a fresh batch, then optimize_parameters. The random
        # images are made here, outside the timed region (their loader would make them in a worker).
        batch = {"A": torch.rand(1, opt.input_nc, arguments.size, arguments.size) * 2 - 1,
                 "B": torch.rand(1, opt.output_nc, arguments.size, arguments.size) * 2 - 1,
                 "A_paths": ["random"], "B_paths": ["random"]}
        model.set_input(batch)
        start = time.perf_counter()
        model.optimize_parameters()
        return time.perf_counter() - start

    with contextlib.redirect_stdout(sys.stderr):
        for _ in range(arguments.warmup):
            one_step()
        seconds = sorted(one_step() for _ in range(arguments.repeat))
    # The median as revgan-bench takes it (the upper one of an even count), so both sides agree.
    median = seconds[len(seconds) // 2]

    result = {
        "code": "authors",
        "model": arguments.model,
        "depth": arguments.depth,
        "size": arguments.size,
        "seconds_per_step": median,
        "torch_version": torch.__version__,
        "memcnn_version": getattr(memcnn, "__version__", "unknown"),
        "authors_model": type(model).__name__,
        "mode": "reversible" if arguments.model == "revgan" else "naive",
        "width": opt.ngf,
        "discriminator_width": opt.ndf,
        "generator_parameters": count_parameters(model, "G"),
        "discriminator_parameters": count_parameters(model, "D"),
        "threads": torch.get_num_threads(),
        "warmup": arguments.warmup,
        "repeat": arguments.repeat,
        "seconds": seconds,
    }
    if arguments.json:
        print(json.dumps(result))
    else:
        print("authors' %s (%s), depth %d, %dx%d, %d threads, torch %s, memcnn %s: %.4f s per step (median of %d)"
              % (arguments.model, result["authors_model"], arguments.depth, arguments.size, arguments.size,
                 result["threads"], result["torch_version"], result["memcnn_version"], median, arguments.repeat))


if __name__ == "__main__":
    main()
