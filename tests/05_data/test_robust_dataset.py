"""05_data/robust_dataset: labels joined by file id, corrupt files skipped, empty batches survived."""

import random
from pathlib import Path

import torch
from torch.utils.data import DataLoader

from helpers import assert_shape, assert_tensor_equal

# Ways a scan file can be damaged; each makes torch.load raise a different exception type.
CORRUPTIONS = {
    "empty": lambda good: b"",                                     # EOFError
    "truncated": lambda good: good[: len(good) // 2],               # RuntimeError
    "text": lambda good: b"scanner error: series not written\n",   # pickle.UnpicklingError
}


def scan_of(k: int) -> torch.Tensor:
    """Scan k is filled with the value k, so a loaded scan tells which file it came from."""
    return torch.full((1, 4, 4), float(k))


def label_of(k: int) -> int:
    return (k * 7 + 3) % 5  # not monotonic in k, so a by-position join shows up


def write_folder(tmp_path: Path, ids: list[int], corrupt: dict[int, str] | None = None,
                 missing: tuple[int, ...] = (), unlabelled: tuple[int, ...] = (), seed: int = 0) -> tuple[Path, Path]:
    """``scans/scan_<k>.pt`` for every id (damaged as ``corrupt`` says; none for ``missing``), plus files for
    ``unlabelled`` ids that get no CSV row; ``labels.csv`` lists ``ids`` in a shuffled order."""
    corrupt = corrupt or {}
    root = tmp_path / "scans"
    root.mkdir()
    for k in [*ids, *unlabelled]:
        if k in missing:
            continue
        path = root / f"scan_{k:03d}.pt"
        torch.save(scan_of(k), path)
        if k in corrupt:
            path.write_bytes(CORRUPTIONS[corrupt[k]](path.read_bytes()))
    rows = list(ids)
    random.Random(seed).shuffle(rows)
    if rows == sorted(rows):
        rows.reverse()
    csv_path = tmp_path / "labels.csv"
    csv_path.write_text("file_id,label\n" + "".join(f"scan_{k:03d},{label_of(k)}\n" for k in rows))
    return root, csv_path


def load_all(ds) -> tuple[list[int], int]:
    """The ids of the readable items (checking each one's scan and label) and the number of None items."""
    readable, nones = [], 0
    for index in range(len(ds)):
        try:
            item = ds[index]
        except Exception as err:
            raise AssertionError(
                f"ds[{index}] raised {type(err).__name__}: {err}; a file that torch.load cannot read must give None "
                "(catch any Exception from the load: each kind of damage raises a different type)") from None
        if item is None:
            nones += 1
            continue
        assert isinstance(item, tuple) and len(item) == 2, f"expected ds[{index}] to be (scan, label) or None, got {item!r}"
        scan, label = item
        assert_shape(scan, (1, 4, 4), what=f"scan of ds[{index}]", hint="return the tensor stored in the file")
        k = int(scan[0, 0, 0])
        assert_tensor_equal(scan, scan_of(k), what=f"scan of ds[{index}]")
        assert type(label) is int, f"label of ds[{index}]: expected a Python int, got {type(label).__name__}"
        assert label >= 0, (
            f"ds[{index}] returned label {label}: a dummy sample for an unreadable file? Return None instead, "
            "and let skip_none_collate drop it")
        assert label == label_of(k), (
            f"ds[{index}] returned the scan of scan_{k:03d} with label {label}, but the CSV gives scan_{k:03d} the "
            f"label {label_of(k)}; likely the labels were joined by row order instead of by file id")
        readable.append(k)
    return sorted(readable), nones


def test_labels_follow_the_file_id_not_the_row_order(ex, tmp_path):
    root, csv_path = write_folder(tmp_path, ids=[0, 1, 2, 3, 4, 5])
    ds = ex.FolderDataset(root, csv_path)
    assert len(ds) == 6, f"expected 6 samples (6 labelled files), got {len(ds)}"
    readable, nones = load_all(ds)
    assert readable == [0, 1, 2, 3, 4, 5] and nones == 0, f"expected every scan once, got ids {readable}"


def test_corrupt_files_give_none(ex, tmp_path):
    root, csv_path = write_folder(tmp_path, ids=[0, 1, 2, 3, 4], corrupt={1: "truncated", 3: "empty"})
    ds = ex.FolderDataset(root, csv_path)
    assert len(ds) == 5, (
        f"expected len 5: corrupt files still count until they are read (no opening scans in __init__), got {len(ds)}")
    readable, nones = load_all(ds)
    assert readable == [0, 2, 4], f"expected the readable scans 0, 2, 4, got {readable}"
    assert nones == 2, (
        f"expected ds[i] to be None for the 2 corrupt files, got {nones} None items; catch whatever torch.load "
        "raises (an empty file and a truncated one raise different exception types) and return None")


def test_skip_none_collate_drops_none(ex):
    batch = [(scan_of(1), 4), None, (scan_of(2), 1), None]
    scans, labels = ex.skip_none_collate(batch)
    assert_tensor_equal(scans, torch.stack([scan_of(1), scan_of(2)]), what="collated scans",
                        hint="drop the None items, then default_collate the rest")
    assert_tensor_equal(labels, torch.tensor([4, 1]), what="collated labels")


def check_one_readable_left(ex, batch: list, what: str) -> None:
    """``batch`` holds (scan_of(3), 2) and only None otherwise: skip_none_collate must collate that one item."""
    collated = ex.skip_none_collate(batch)
    assert isinstance(collated, (list, tuple)) and len(collated) == 2, (
        f"{what}: expected the one readable item collated as [scans, labels], got {collated!r:.80}; likely cause: "
        "a skip_none_collate that returns None whatever comes in (only a batch with nothing left gives None)")
    scans, labels = collated
    assert_tensor_equal(scans, scan_of(3).unsqueeze(0), what=f"{what}: collated scans",
                        hint="drop the None items, then default_collate the rest")
    assert_tensor_equal(labels, torch.tensor([2]), what=f"{what}: collated labels")


def test_skip_none_collate_of_an_all_corrupt_batch_is_none(ex):
    check_one_readable_left(ex, [None, (scan_of(3), 2), None], what="a batch with one readable item of three")
    result = ex.skip_none_collate([None, None, None])
    assert result is None, (
        f"expected None for a batch in which every item was None, got {result!r}; default_collate([]) raises "
        "IndexError, so check for an empty list first")


def test_dataloader_over_a_messy_folder(ex, tmp_path):
    root, csv_path = write_folder(tmp_path, ids=list(range(6)), corrupt={0: "text", 1: "empty", 4: "truncated"})
    loader = DataLoader(ex.FolderDataset(root, csv_path), batch_size=2, collate_fn=ex.skip_none_collate)
    seen = []
    for batch in loader:
        if batch is None:  # both items of this batch were corrupt
            continue
        scans, labels = batch
        for scan, label in zip(scans, labels.tolist()):
            k = int(scan[0, 0, 0])
            assert label == label_of(k), f"scan_{k:03d} arrived with label {label}, expected {label_of(k)}"
            seen.append(k)
    assert sorted(seen) == [2, 3, 5], f"expected the readable scans 2, 3, 5 from the loader, got {sorted(seen)}"


def test_only_pt_files_are_samples(ex, tmp_path):
    # ids 4 and 5 have a CSV row, but their files are scan_004.npy and scan_005.txt: not scans, not samples
    root, csv_path = write_folder(tmp_path, ids=[0, 1, 2, 3, 4, 5], missing=(4, 5), seed=4)
    torch.save(scan_of(4), root / "scan_004.npy")
    (root / "scan_005.txt").write_text("radiologist notes\n")
    ds = ex.FolderDataset(root, csv_path)
    assert len(ds) == 4, (
        f"expected 4 samples (scan_000.pt .. scan_003.pt), got {len(ds)}; likely cause: every file of root was "
        "taken by its stem, but only the .pt files are scans (glob('*.pt'))")
    readable, nones = load_all(ds)
    assert readable == [0, 1, 2, 3] and nones == 0, f"expected scans 0..3 and no None, got {readable} and {nones} None"
