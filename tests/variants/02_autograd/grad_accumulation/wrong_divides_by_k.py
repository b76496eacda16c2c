"""Known-wrong: divides every micro-batch loss by k, which over-weights a shorter last micro-batch."""


def accumulated_step(model, optimizer, batches, loss_fn):
    optimizer.zero_grad()
    batch_loss = 0.0
    for inputs, targets in batches:
        loss = loss_fn(model(inputs), targets) / len(batches)
        loss.backward()
        batch_loss += loss.item()
    optimizer.step()
    return batch_loss
