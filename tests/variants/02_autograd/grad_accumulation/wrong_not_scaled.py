"""Known-wrong: sums the micro-batch mean losses without scaling, so the gradient is k times too large."""


def accumulated_step(model, optimizer, batches, loss_fn):
    optimizer.zero_grad()
    total_loss = 0.0
    for inputs, targets in batches:
        loss = loss_fn(model(inputs), targets)
        loss.backward()
        total_loss += loss.item() / len(batches)
    optimizer.step()
    return total_loss
