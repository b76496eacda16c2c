"""05_data/robust_dataset, hidden: rows without files, files without rows, lazy reads, larger random folders."""

import random

import pytest
import torch
from torch.utils.data import DataLoader

from helpers import assert_tensor_equal, visible_tests

visible = visible_tests(__file__)


def test_rows_without_files_and_files_without_rows_are_left_out(ex, tmp_path):
    root, csv_path = visible.write_folder(tmp_path, ids=[0, 1, 2, 3, 4, 5], missing=(2, 5), unlabelled=(7, 8), seed=3)
    ds = ex.FolderDataset(root, csv_path)
    assert len(ds) == 4, (
        f"expected 4 samples: ids 2 and 5 have a CSV row but no file, 7 and 8 a file but no row; got {len(ds)}")
    readable, nones = visible.load_all(ds)
    assert readable == [0, 1, 3, 4] and nones == 0, f"expected scans 0, 1, 3, 4, got {readable} and {nones} None"


def test_a_text_file_is_corrupt_too(ex, tmp_path):
    root, csv_path = visible.write_folder(tmp_path, ids=[0, 1, 2], corrupt={2: "text"}, seed=1)
    readable, nones = visible.load_all(ex.FolderDataset(root, csv_path))
    assert readable == [0, 1] and nones == 1, (
        f"expected scans 0, 1 and one None, got {readable} and {nones} None; a text file makes torch.load raise "
        "an UnpicklingError, so catch every Exception from the load")


def test_scans_are_read_lazily(ex, tmp_path):
    root, csv_path = visible.write_folder(tmp_path, ids=[0, 1, 2], seed=2)
    ds = ex.FolderDataset(root, csv_path)
    for k in range(3):  # the files change after the dataset was built: what __getitem__ returns must follow
        path = root / f"scan_{k:03d}.pt"
        if k == 1:
            path.write_bytes(b"")
        else:
            torch.save(visible.scan_of(k) + 0.25, path)
    items = [ds[i] for i in range(len(ds))]
    assert sum(item is None for item in items) == 1, (
        "a file emptied after the dataset was built still loaded: the scans must be read in __getitem__, "
        "not cached in __init__")
    for item in items:
        if item is not None:
            k = int(item[0][0, 0, 0])
            assert_tensor_equal(item[0], visible.scan_of(k) + 0.25, what=f"scan_{k:03d}",
                                hint="read the file in __getitem__, not in __init__")


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_random_messy_folders(ex, tmp_path, seed):
    rng = random.Random(seed)
    ids = rng.sample(range(200), 12)
    corrupt = {k: rng.choice(sorted(visible.CORRUPTIONS)) for k in rng.sample(ids, 4)}
    root, csv_path = visible.write_folder(tmp_path, ids=ids, corrupt=corrupt, seed=seed)
    ds = ex.FolderDataset(root, csv_path)
    readable, nones = visible.load_all(ds)
    assert readable == sorted(set(ids) - set(corrupt)), f"expected the readable scans, got {readable}"
    assert nones == 4, f"expected 4 None items for the corrupt files {corrupt}, got {nones}"
    loader = DataLoader(ds, batch_size=3, shuffle=True, collate_fn=ex.skip_none_collate,
                        generator=torch.Generator().manual_seed(seed))
    seen = []
    for batch in loader:
        if batch is None:
            continue
        scans, labels = batch
        assert labels.dtype == torch.int64, f"expected int64 labels after collation, got {labels.dtype}"
        for scan, label in zip(scans, labels.tolist()):
            assert label == visible.label_of(int(scan[0, 0, 0]))
            seen.append(int(scan[0, 0, 0]))
    assert sorted(seen) == readable, f"the loader yielded {sorted(seen)}, expected {readable}"


def test_skip_none_collate_of_a_clean_batch_is_default_collate(ex):
    batch = [(visible.scan_of(k), k) for k in range(3)]
    scans, labels = ex.skip_none_collate(batch)
    assert_tensor_equal(scans, torch.stack([visible.scan_of(k) for k in range(3)]), what="collated scans")
    assert_tensor_equal(labels, torch.tensor([0, 1, 2]), what="collated labels")


def test_skip_none_collate_of_an_empty_list_is_none(ex):
    visible.check_one_readable_left(ex, [(visible.scan_of(3), 2)], what="a batch of one readable item")
    result = ex.skip_none_collate([])
    assert result is None, (
        f"expected None for an empty batch, got {result!r:.80}; likely cause: default_collate([]) raises "
        "IndexError, so check for an empty list first")


def test_ids_with_dots_and_files_in_subfolders(ex, tmp_path):
    root, csv_path = visible.write_folder(tmp_path, ids=[0, 1], seed=5)
    # the id is the name without ".pt", dots included: scan_002.v2.pt is the scan with the id scan_002.v2
    torch.save(visible.scan_of(2), root / "scan_002.v2.pt")
    with open(csv_path, "a") as handle:
        handle.write(f"scan_002.v2,{visible.label_of(2)}\nscan_003,{visible.label_of(3)}\n")
    (root / "old").mkdir()  # a labelled scan in a subfolder is not directly in root: not a sample
    torch.save(visible.scan_of(3), root / "old" / "scan_003.pt")
    ds = ex.FolderDataset(root, csv_path)
    readable, nones = visible.load_all(ds)
    assert readable == [0, 1, 2] and nones == 0, (
        f"expected scans 0, 1 and the one of scan_002.v2.pt, got {readable} and {nones} None; likely cause: the id "
        "was cut at the first dot (use the name without its .pt suffix, Path.stem), or a subfolder was searched")
    assert len(ds) == 3, f"expected 3 samples, got {len(ds)}: root/old/scan_003.pt is not directly in root"


def test_a_file_holding_more_than_tensors_is_refused(ex, tmp_path):
    import datetime

    root, csv_path = visible.write_folder(tmp_path, ids=[0, 1, 2], seed=6)
    # a well-formed torch.save file, but it pickles a Python object: weights_only=True refuses to unpickle it
    torch.save({"acquired": datetime.date(2020, 1, 1)}, root / "scan_001.pt")
    ds = ex.FolderDataset(root, csv_path)
    items = {}
    for index in range(len(ds)):
        item = ds[index]
        assert item is None or (isinstance(item, tuple) and isinstance(item[0], torch.Tensor)), (
            f"ds[{index}] returned {item!r:.80}: a file that is not tensors was unpickled; load with "
            "torch.load(path, weights_only=True), which raises on it, and return None")
        if item is not None:
            items[int(item[0][0, 0, 0])] = item[1]
    assert items == {0: visible.label_of(0), 2: visible.label_of(2)}, (
        f"expected scans 0 and 2 with their labels, got {items}")
