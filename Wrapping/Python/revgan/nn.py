# SPDX-License-Identifier: Apache-2.0
"""The toolkit's reversible networks as ``torch.nn.Module``\\ s, for training in your own loop.

    import torch, revgan.nn
    net = revgan.nn.generator("srcnn", dimensions=3, width=16, depth=8, residual=True)
    optimizer = torch.optim.Adam(net.parameters(), lr=2e-4)
    loss = (net(x) - y).abs().mean(); loss.backward(); optimizer.step()
    x_again = net.inverse(net(x))  # the reversible core is exactly invertible

The modules are the toolkit's C++ networks (the same code revgan-train trains), not copies: their
parameters are the networks' own tensors, made ``nn.Parameter``\\ s in place, so ``torch.optim``,
``state_dict``, ``.to()`` and ``.double()`` work as usual. With ``gradient_mode="reversible"``
(the default) the backward pass reconstructs each block's input from its output instead of
storing it: the activation memory of a training step does not grow with depth
(:class:`track_memory` measures it). Reversible backward accumulates the blocks' parameter
gradients into ``.grad`` during ``backward()``, so ``torch.autograd.grad`` with respect to them
needs ``gradient_mode="naive"``; gradients with respect to inputs work in every mode
(``torch.autograd.gradcheck`` passes in double).
"""

import torch

from . import _revgan
from ._models import _attach_tensors
from ._revgan import Error

__all__ = ["AdditiveCoupling", "ReversibleSequence", "Generator", "generator", "generator_names", "track_memory"]


def _own_parameter(tensor):
    # The network's tensor itself becomes the Parameter (no copy, no new tensor): the gradients
    # the toolkit's backward accumulates land where torch.optim reads them.
    tensor.__class__ = torch.nn.Parameter
    return tensor


def _coupling_options(channels, dimensions, kernel_size, padding, normalization, zero_init_last, pre_normalization):
    return _revgan._CouplingOptions(int(channels), int(dimensions), int(kernel_size), padding, normalization,
                                    bool(zero_init_last), bool(pre_normalization))


class _ToolkitNetwork(torch.nn.Module):
    """A toolkit network as a torch.nn.Module: forward, inverse, parameters shared with C++."""

    def __init__(self, network):
        super().__init__()
        object.__setattr__(self, "_network", network)
        _attach_tensors(self, network.named_tensors(), _own_parameter)

    def forward(self, x):
        return self._network.run(x, "forward", self.training)

    def inverse(self, y):
        """The inverse direction with the same weights."""
        return self._network.run(y, "inverse", self.training)

    def set_gradient_mode(self, mode):
        """"reversible" (reconstruct activations in backward: memory flat in depth),
        "reversible-core" (generators: only the core reconstructs) or "naive" (plain autograd)."""
        self._network.set_gradient_mode(mode)

    def _apply(self, fn, *args, **kwargs):
        # Parameters are converted in place (PyTorch sets .data), so C++ sees them; buffers are
        # replaced by new tensors, which the network's own buffers take over.
        result = super()._apply(fn, *args, **kwargs)
        for name, buffer in self.named_buffers():
            self._network.assign_buffer(name, buffer)
        return result

    def extra_repr(self):
        return self._network.description

    def __deepcopy__(self, memo):
        # The C++ network's clone(): the same architecture with copies of its tensors.
        copy = type(self).__new__(type(self))
        _ToolkitNetwork.__init__(copy, self._network.clone())
        memo[id(self)] = copy
        for name, parameter in self.named_parameters():
            copy.get_parameter(name).requires_grad_(parameter.requires_grad)
        return copy.train(self.training)

    def __reduce__(self):
        raise Error("a revgan.nn module is not pickled: save its state_dict()")


class AdditiveCoupling(_ToolkitNetwork):
    """Additive coupling block: y1 = x1 + F(x2), y2 = x2 + G(y1), exactly invertible whatever F
    and G are (x2 = y2 − G(y1), x1 = y1 − F(x2)). `channels` (even) are split into halves; F and
    G are the paper's branches (pad, conv, normalization, ReLU, pad, conv, normalization) on
    `dimensions` (2 or 3) spatial axes. A block alone backpropagates through autograd; a
    ReversibleSequence of blocks saves their activations' memory."""

    def __init__(self, channels, dimensions=3, *, kernel_size=3, padding="reflect", normalization="instance",
                 zero_init_last=False, pre_normalization=False):
        super().__init__(_revgan._Network.coupling(_coupling_options(channels, dimensions, kernel_size, padding,
                                                                     normalization, zero_init_last,
                                                                     pre_normalization)))


class ReversibleSequence(_ToolkitNetwork):
    """`depth` additive coupling blocks in sequence, C = b_d ∘ … ∘ b_1, with its exact inverse.
    In ``gradient_mode="reversible"`` backward walks the blocks from the output back,
    reconstructing each block's input: training memory does not grow with `depth`."""

    def __init__(self, channels, depth, dimensions=3, *, kernel_size=3, padding="reflect", normalization="instance",
                 zero_init_last=False, pre_normalization=False, gradient_mode="reversible"):
        super().__init__(_revgan._Network.sequence(_coupling_options(channels, dimensions, kernel_size, padding,
                                                                     normalization, zero_init_last,
                                                                     pre_normalization), int(depth), gradient_mode))


class Generator(_ToolkitNetwork):
    """A generator of the toolkit's table (made by :func:`generator`): forward X→Y, inverse Y→X."""


def generator_names():
    """The generators :func:`generator` builds, as revgan-train's ``--generator`` names them."""
    return list(_revgan._generator_names())


def generator(name, *, dimensions=3, channels_x=1, channels_y=1, width=32, depth=6, downsamplings=-1,
              residual=False, gradient_mode="reversible"):
    """The generator `name` of the toolkit's table (``generator_names()``: revgan, srcnn, edsr-f,
    resnet, …) with revgan-train's architecture options and N(0, 0.02) weights, as revgan-train
    builds it. A generator with a reversible core (revgan, srcnn with depth > 0, edsr-f) maps
    X→Y with ``forward`` and Y→X with ``inverse`` through the same core."""
    return Generator(_revgan._Network.generator(name, int(dimensions), int(channels_x), int(channels_y), int(width),
                                                int(depth), int(downsamplings), bool(residual), gradient_mode))


class track_memory:
    """Peak bytes of tensor storage that LibTorch allocates on `device` inside a ``with`` block,
    above what was in use when it began (the toolkit's MemoryTracker; CPU: tensors allocated
    from Python count too, those allocated before the first tracking do not)::

        with revgan.nn.track_memory() as memory:
            net(x).sum().backward()
        print(memory.peak_bytes)
    """

    def __init__(self, device="cpu"):
        self.device = str(torch.device(device))
        self.peak_bytes = None

    def __enter__(self):
        _revgan._memory_install()
        self._start = _revgan._memory_current(self.device)
        _revgan._memory_reset_peak(self.device)
        return self

    def __exit__(self, *exception):
        self.peak_bytes = _revgan._memory_peak(self.device) - self._start
        return False
