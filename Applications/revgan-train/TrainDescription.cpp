// SPDX-License-Identifier: Apache-2.0
// The parameters of revgan-train: its command line, --help and its 3D Slicer description.
#include "ModuleDescriptions.h"

#include "revgan/GeneratorTable.h"

namespace revgan
{

CommandLineModule
describeTrain()
{
  CommandLineModule module("revgan-train",
                           "RevGAN Train",
                           "Filtering.Deep Learning",
                           "Trains a reversible GAN (or a Pix2pix, CycleGAN, SRCNN, SRCNN+kR or EDSR-F "
                           "baseline) on 2D images or 3D volumes and writes a model file for revgan-translate.");
  module
    .add(Parameter(
      "string", "x", "Domain X images", "comma-separated image files or folders of domain X (the input of forward)"))
    .add(Parameter("string",
                   "y",
                   "Domain Y images",
                   "comma-separated image files or folders of domain Y (paired: aligned with --x, in name order)"))
    .add(Parameter(
           "string", "x-masks", "Domain X masks", "comma-separated masks for patch sampling (paired: of the pairs)")
           .isOptional())
    .add(Parameter("string", "y-masks", "Domain Y masks", "comma-separated masks of domain Y (unpaired only)")
           .isOptional())
    .add(Parameter("file", "output", "Model file", "model file to write").withFlag('o').in("output"))
    .add(Parameter("string-enumeration", "objective", "Objective", "paired (Eq. 12) or unpaired (Eq. 13)")
           .byDefault("paired")
           .among({ "paired", "unpaired" }))
    .add(Parameter("string-enumeration", "generator", "Generator", "network architecture")
           .byDefault(generatorNames().front())
           .among(generatorNames()))
    .add(
      Parameter("integer", "width", "Width", "channels of the first layer (ngf)").byDefault("32").within(1.0, 1024.0))
    .add(Parameter("integer", "depth", "Depth", "reversible (or residual) blocks").byDefault("6").within(0.0, 1000.0))
    .add(Parameter("integer", "downsamplings", "Downsamplings", "stride-2 layers (-1: the generator's own)")
           .byDefault("-1")
           .within(-1.0, 6.0))
    .add(Parameter("string-enumeration",
                   "reconstruction-loss",
                   "Reconstruction loss",
                   "paired objective's term: l1 (the paper) or l2 (targets RMSE)")
           .byDefault("l1")
           .among({ "l1", "l2" }))
    .add(Parameter("string-enumeration",
                   "gan-loss",
                   "GAN loss",
                   "adversarial loss (default: vanilla for paired, lsgan for unpaired)")
           .byDefault("default")
           .among({ "default", "vanilla", "lsgan" }))
    .add(Parameter("integer", "pool-size", "Pool size", "generated samples kept for the unpaired discriminators")
           .byDefault("50")
           .within(0.0, 10000.0))
    .add(Parameter("integer", "discriminator-width", "Discriminator width", "channels of the first PatchGAN layer")
           .byDefault("64")
           .within(1.0, 1024.0))
    .add(Parameter("integer",
                   "discriminator-layers",
                   "Discriminator layers",
                   "stride-2 layers of the PatchGAN (0: 3 in 2D, 2 in 3D)")
           .byDefault("0")
           .within(0.0, 8.0))
    .add(Parameter("double", "beta1", "Adam beta1", "Adam's first moment decay").byDefault("0.5").within(0.0, 0.999999))
    .add(
      Parameter("double", "beta2", "Adam beta2", "Adam's second moment decay").byDefault("0.999").within(0.0, 0.999999))
    .add(Parameter("string-enumeration", "precision", "Precision", "floating-point type of training")
           .byDefault("float")
           .among({ "float", "double" }))
    .add(Parameter("boolean",
                   "residual",
                   "Residual",
                   "add the input to the output (same channels in X and Y, e.g. super-resolution)"))
    .add(Parameter("string-enumeration",
                   "input-interpolation",
                   "Input interpolation",
                   "paired X images on a coarser grid than their Y images (as revgan-prepare --task shrink or a "
                   "scanner writes them) are interpolated onto the Y grid with this before the network: bspline "
                   "(cubic B-spline), linear, or nearest (the paper's setting); recorded in the model, so that "
                   "revgan-translate takes inputs on the coarse grid too")
           .byDefault("bspline")
           .among({ "bspline", "linear", "nearest" }))
    .add(Parameter("integer-vector", "patch-size", "Patch size", "training patch size per axis (one value: all axes)")
           .byDefault("64")
           .within(1.0))
    .add(Parameter("integer", "batch-size", "Batch size", "patches per iteration").byDefault("1").within(1.0, 4096.0))
    .add(
      Parameter("integer", "samples-per-epoch", "Samples per epoch", "patches per epoch").byDefault("200").within(1.0))
    .add(Parameter("integer", "epochs", "Epochs", "epochs at the initial learning rate").byDefault("10").within(0.0))
    .add(
      Parameter("integer", "decay-epochs", "Decay epochs", "epochs of linear decay to zero").byDefault("0").within(0.0))
    .add(Parameter("double", "lambda", "Lambda", "weight of the L1 (paired) or cycle (unpaired) terms (-1: 100 or 10)")
           .byDefault("-1")
           .within(-1.0))
    .add(Parameter("double", "gan-weight", "GAN weight", "weight of the adversarial terms (0: no discriminators)")
           .byDefault("1")
           .within(0.0))
    .add(Parameter("double", "identity-weight", "Identity weight", "identity loss as a fraction of lambda (unpaired)")
           .byDefault("0")
           .within(0.0))
    .add(Parameter("double", "learning-rate", "Learning rate", "Adam learning rate")
           .byDefault("0.0002")
           .within(1e-12, 1.0))
    .add(Parameter("string-enumeration",
                   "gradient-mode",
                   "Gradient mode",
                   "reversible: constant-memory backward (the reversible core reconstructs its activations, the "
                   "layers around it recompute theirs); reversible-core: only the core reconstructs; naive: plain "
                   "autograd (fastest, most memory)")
           .byDefault("reversible")
           .among({ "reversible", "reversible-core", "naive" }))
    .add(Parameter("string",
                   "memory-budget",
                   "Memory budget",
                   "MiB of activations a training step may use, or auto (half the available memory; 80 % of a GPU's "
                   "free memory): measures the generator's update in each gradient mode and trains in the fastest "
                   "that fits (replaces --gradient-mode)")
           .isOptional())
    .add(Parameter("string",
                   "validation-x",
                   "Validation X images",
                   "comma-separated held-out images of domain X to validate on (paired; instead of "
                   "--validation-fraction)")
           .isOptional())
    .add(Parameter("string", "validation-y", "Validation Y images", "the Y images of --validation-x, in the same order")
           .isOptional())
    .add(Parameter("string",
                   "validation-masks",
                   "Validation masks",
                   "masks of the validation images: the voxels the validation RMSE is measured over (default: all)")
           .isOptional())
    .add(Parameter("double",
                   "validation-fraction",
                   "Validation fraction",
                   "hold out this fraction of each training pair's last slices (z of a volume, y of a 2D image) and "
                   "validate on them (paired; 0: no validation unless --validation-x is given)")
           .byDefault("0")
           .within(0.0, 0.9))
    .add(Parameter("integer",
                   "validation-interval",
                   "Validation interval",
                   "validate every this many iterations, and at the end of each epoch (0: at epochs' ends only)")
           .byDefault("100")
           .within(0.0))
    .add(Parameter("string-enumeration",
                   "keep",
                   "Keep",
                   "weights the model file receives: best (the best validated, the weights training started from "
                   "included; the last without validation data) or last")
           .byDefault("best")
           .among({ "best", "last" }))
    .add(Parameter("integer",
                   "warmup-iterations",
                   "Warm-up iterations",
                   "iterations over which the learning rate rises linearly to its value (0: none)")
           .byDefault("200")
           .within(0.0))
    .add(Parameter("double",
                   "clip-gradient-norm",
                   "Gradient norm clipping",
                   "scale each update's gradients down to at most this norm (0: no clipping)")
           .byDefault("0")
           .within(0.0))
    .add(Parameter("double",
                   "spike-factor",
                   "Spike factor",
                   "a generator loss above this many times the median of the last 50 (or not finite) is a divergence: "
                   "the update is left out, training returns to its last good weights and halves the learning rate, "
                   "and after 4 such returns stops, keeping the best weights (0: off)")
           .byDefault("5")
           .within(0.0))
    .add(Parameter("double", "min-mask-fraction", "Minimum mask fraction", "patches need this fraction inside the mask")
           .byDefault("0.01")
           .within(0.0, 1.0))
    .add(Parameter(
      "boolean", "flips", "Random flips", "flip patches left-right at random (DTI: the tensors are flipped too)"))
    .add(Parameter("boolean",
                   "symmetries",
                   "Random symmetries",
                   "give each patch a random symmetry of its grid: a flip along every axis at random, and a random "
                   "order of the axes that have the same voxel spacing and patch size (DTI: the tensors are turned "
                   "too); more varied patches for a model trained on few scans; replaces --flips"))
    .add(Parameter("boolean",
                   "log-tensors",
                   "Log-Euclidean tensors",
                   "DTI: the network sees the matrix logarithm of each tensor and its output goes through the "
                   "matrix exponential, so predicted tensors are always positive definite (stored in the model)"))
    .add(Parameter("boolean",
                   "ignore-geometry",
                   "Ignore geometry",
                   "pair images and masks voxel by voxel even if their origin, spacing or direction differ"))
    .add(Parameter("boolean",
                   "skip-non-finite",
                   "Skip non-finite updates",
                   "leave out updates whose loss or gradients are NaN or infinite, instead of stopping"))
    .add(Parameter("boolean",
                   "monitor-reconstruction",
                   "Monitor reconstruction",
                   "debug: log the largest error of the reversible core's reconstructed inputs at each "
                   "iteration (reconstruction_error_* columns; costs a copy of each core input)"))
    .add(Parameter("integer", "seed", "Seed", "random seed").byDefault("0").within(0.0))
    .add(Parameter("string", "device", "Device", "cpu, cuda or cuda:N").byDefault("cpu"))
    .add(Parameter("integer", "threads", "Threads", "CPU threads (0: all)").byDefault("0").within(0.0, 4096.0))
    .add(Parameter("file", "checkpoint", "Checkpoint", "checkpoint written after each epoch").isOptional().in("output"))
    .add(Parameter("integer",
                   "checkpoint-interval",
                   "Checkpoint interval",
                   "also write the checkpoint every this many iterations (0: after each epoch only)")
           .byDefault("0")
           .within(0.0))
    .add(Parameter("file", "resume", "Resume", "checkpoint to continue from (same data arguments)")
           .isOptional()
           .in("input"))
    .add(
      Parameter("file", "loss-log", "Loss log", "CSV log of the losses of every iteration").isOptional().in("output"))
    .add(Parameter("integer",
                   "world-size",
                   "Processes",
                   "processes of a data-parallel job, each with --batch-size patches per iteration "
                   "(-1: WORLD_SIZE from the environment, as torchrun sets it, else 1)")
           .byDefault("-1")
           .within(-1.0, 65536.0))
    .add(Parameter("integer", "rank", "Rank", "this process's rank in the job (-1: RANK from the environment)")
           .byDefault("-1")
           .within(-1.0, 65535.0))
    .add(Parameter("integer",
                   "local-rank",
                   "Local rank",
                   "this process's index on its machine; selects the GPU (-1: LOCAL_RANK from the environment)")
           .byDefault("-1")
           .within(-1.0, 65535.0))
    .add(Parameter("string",
                   "master-addr",
                   "Master address",
                   "address of rank 0's machine (default: MASTER_ADDR from the environment, else 127.0.0.1)")
           .isOptional())
    .add(Parameter("integer",
                   "master-port",
                   "Master port",
                   "port of the job's rendezvous on rank 0 (-1: MASTER_PORT from the environment, else 29500)")
           .byDefault("-1")
           .within(-1.0, 65535.0))
    .add(Parameter("integer",
                   "distributed-timeout",
                   "Distributed timeout",
                   "seconds a process waits for the others to join (counted once it has read its images) or in any "
                   "one collective, before it stops with one error line")
           .byDefault("300")
           .within(1.0, 86400.0))
    .add(Parameter("string-enumeration",
                   "distributed-backend",
                   "Distributed backend",
                   "c10d backend: auto (nccl on GPUs, else gloo), gloo or nccl")
           .byDefault("auto")
           .among({ "auto", "gloo", "nccl" }));
  return module;
}

} // namespace revgan
