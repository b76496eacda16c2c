"""Known-wrong: never zeroes before accumulating, so stale or previous-step gradients are added in."""


def accumulated_step(model, optimizer, batches, loss_fn):
    total = sum(inputs.shape[0] for inputs, _ in batches)
    batch_loss = 0.0
    for inputs, targets in batches:
        loss = loss_fn(model(inputs), targets) * (inputs.shape[0] / total)
        loss.backward()
        batch_loss += loss.item()
    optimizer.step()
    return batch_loss
