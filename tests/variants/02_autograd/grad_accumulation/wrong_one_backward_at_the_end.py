"""Known-wrong: sums the weighted losses and calls backward once, holding every micro-batch's graph."""


def accumulated_step(model, optimizer, batches, loss_fn):
    total = sum(inputs.shape[0] for inputs, _ in batches)
    optimizer.zero_grad()
    loss = sum(loss_fn(model(inputs), targets) * (inputs.shape[0] / total) for inputs, targets in batches)
    loss.backward()
    optimizer.step()
    return loss.item()
