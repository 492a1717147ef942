# SPDX-License-Identifier: Apache-2.0
"""revgan.nn: the toolkit's reversible networks as torch.nn.Modules trained in a user's own loop."""

import pytest
import torch

import revgan
import revgan.nn


def _double(module):
    return module.double()


@pytest.mark.parametrize("make", [
    lambda: revgan.nn.AdditiveCoupling(4, dimensions=2),
    lambda: revgan.nn.ReversibleSequence(4, depth=3, dimensions=3),
], ids=["coupling", "sequence"])
def test_inverse_undoes_forward_exactly(make):
    torch.manual_seed(0)
    net = _double(make())
    shape = (2, 4, 8, 8) if isinstance(net, revgan.nn.AdditiveCoupling) else (2, 4, 6, 6, 6)
    x = torch.randn(shape, dtype=torch.float64)
    with torch.no_grad():
        y = net(x)
        assert not torch.allclose(y, x)
        torch.testing.assert_close(net.inverse(y), x, rtol=0, atol=1e-12)


@pytest.mark.parametrize("make, shape", [
    (lambda: revgan.nn.AdditiveCoupling(2, dimensions=2), (1, 2, 5, 5)),
    (lambda: revgan.nn.ReversibleSequence(2, depth=2, dimensions=3), (1, 2, 3, 4, 4)),
    (lambda: revgan.nn.generator("srcnn", dimensions=2, width=4, depth=2, residual=True), (1, 1, 6, 6)),
    (lambda: revgan.nn.generator("revgan", dimensions=2, channels_x=2, channels_y=2, width=2, depth=1), (1, 2, 8, 8)),
], ids=["coupling", "sequence", "srcnn", "revgan"])
@pytest.mark.parametrize("direction", ["forward", "inverse"])
def test_gradcheck_passes_in_double_in_the_reversible_mode(make, shape, direction):
    torch.manual_seed(1)
    net = _double(make())
    x = torch.randn(shape, dtype=torch.float64, requires_grad=True)
    run = net if direction == "forward" else net.inverse
    assert torch.autograd.gradcheck(run, (x,), eps=1e-6, atol=1e-6)


def test_parameters_are_the_networks_own_and_torch_optim_trains_them():
    torch.manual_seed(2)
    net = revgan.nn.generator("srcnn", dimensions=3, width=8, depth=2, residual=True)
    parameters = dict(net.named_parameters())
    assert "core.block0.F.layers.conv1.weight" in parameters
    assert all(isinstance(p, torch.nn.Parameter) for p in parameters.values())
    x = torch.randn(2, 1, 8, 8, 8)
    y = x.flip(-1)
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-2)
    losses = []
    for _ in range(20):
        optimizer.zero_grad()
        loss = (net(x) - y).abs().mean()
        loss.backward()
        # Forward uses X's encoder, the core and Y's decoder; the other two serve the inverse.
        assert all((p.grad is None) == name.startswith(("encoderY.", "decoderX."))
                   for name, p in net.named_parameters())
        optimizer.step()
        losses.append(loss.item())
    assert losses[-1] < 0.8 * losses[0], losses
    # state_dict round trip into a fresh network gives the same outputs.
    other = revgan.nn.generator("srcnn", dimensions=3, width=8, depth=2, residual=True)
    other.load_state_dict(net.state_dict())
    with torch.no_grad():
        torch.testing.assert_close(other(x), net(x))


def test_reversible_and_naive_backward_give_the_same_gradients():
    torch.manual_seed(3)
    reversible = revgan.nn.generator("srcnn", dimensions=3, width=4, depth=3, residual=True).double()
    naive = revgan.nn.generator("srcnn", dimensions=3, width=4, depth=3, residual=True,
                                gradient_mode="naive").double()
    naive.load_state_dict(reversible.state_dict())
    x = torch.randn(1, 1, 6, 6, 6, dtype=torch.float64)
    for net in (reversible, naive):
        net(x).square().sum().backward()
    for (name, a), (_, b) in zip(reversible.named_parameters(), naive.named_parameters()):
        torch.testing.assert_close(a.grad, b.grad, rtol=1e-9, atol=1e-12, msg=name)


def _step_peak(depth, mode):
    torch.manual_seed(4)
    net = revgan.nn.ReversibleSequence(16, depth=depth, dimensions=3, gradient_mode=mode)
    x = torch.randn(1, 16, 24, 24, 24, requires_grad=True)
    with revgan.nn.track_memory() as memory:
        net(x).square().mean().backward()
    return memory.peak_bytes


def test_activation_memory_stays_flat_in_depth_when_trained_from_python():
    reversible = {depth: _step_peak(depth, "reversible") for depth in (2, 4, 8)}
    naive = {depth: _step_peak(depth, "naive") for depth in (2, 8)}
    activation = 16 * 24 ** 3 * 4  # one feature map, float32
    # Reversible: the same peak at depth 8 as at depth 2 (within one feature map); plain autograd
    # stores every block's activations.
    assert reversible[8] - reversible[2] < activation, reversible
    assert reversible[4] - reversible[2] < activation, reversible
    assert naive[8] > naive[2] + 6 * activation, naive
    assert reversible[8] < naive[8] / 2, (reversible, naive)


def test_conversions_keep_the_parameters_shared():
    net = revgan.nn.ReversibleSequence(4, depth=2, dimensions=2).double()
    assert all(p.dtype == torch.float64 for p in net.parameters())
    x = torch.randn(1, 4, 6, 6, dtype=torch.float64)
    net(x).sum().backward()
    assert all(p.grad is not None and p.grad.dtype == torch.float64 for p in net.parameters())


def test_bad_arguments_are_clear_errors():
    with pytest.raises(revgan.InvalidArgumentError, match="odd channel count 3"):
        revgan.nn.AdditiveCoupling(3)
    with pytest.raises(revgan.InvalidArgumentError, match="unknown generator 'unet'"):
        revgan.nn.generator("unet")
    with pytest.raises(revgan.InvalidArgumentError, match=r"takes a batch of shape \(N, 1, D, H, W\)"):
        revgan.nn.generator("srcnn", depth=2)(torch.zeros(1, 2, 8, 8, 8))
    assert "srcnn" in revgan.nn.generator_names() and "revgan" in revgan.nn.generator_names()


def test_deep_copies_compute_the_same_with_parameters_of_their_own():
    import copy
    torch.manual_seed(3)
    for net, x in ((revgan.nn.generator("srcnn", depth=2, width=4, residual=True), torch.randn(1, 1, 8, 8, 8)),
                   (revgan.nn.ReversibleSequence(4, depth=2, dimensions=2), torch.randn(1, 4, 6, 6)),
                   (revgan.nn.AdditiveCoupling(2, dimensions=2), torch.randn(1, 2, 5, 5))):
        net.eval()
        twin = copy.deepcopy(net)
        assert type(twin) is type(net) and not twin.training
        with torch.no_grad():
            assert torch.equal(twin(x), net(x)) and torch.equal(twin.inverse(x), net.inverse(x))
        assert [name for name, _ in twin.named_parameters()] == [name for name, _ in net.named_parameters()]
        for mine, theirs in zip(twin.parameters(), net.parameters()):
            assert torch.equal(mine, theirs) and mine.data_ptr() != theirs.data_ptr()
        with torch.no_grad():
            for parameter in twin.parameters():
                parameter.add_(1.0)
            assert not torch.equal(twin(x), net(x))
        assert repr(twin) == repr(net)
    assert "revgan::RevGANGenerator(kind=srcnn, dimensions=3" in repr(revgan.nn.generator("srcnn", depth=2))
