#!/usr/bin/python3
"""Writes the Fashion-MNIST subset that samples/FashionMlp ships, so its first run needs no download.

Takes the first PER_CLASS_TRAIN images of each class from the training set and the first
PER_CLASS_TEST of each class from the test set, in their original order, and writes the same
four IDX files, gzip-compressed with a zero timestamp so that re-running gives identical bytes.

    /usr/bin/python3 scripts/make-fashion-subset.py [SOURCE_DIR] [TARGET_DIR]

Defaults: /usr/share/datasets/fashion-mnist and samples/FashionMlp/data. Standard library only.
"""
import gzip
import os
import struct
import sys

PER_CLASS_TRAIN = 500
PER_CLASS_TEST = 100
CLASSES = 10


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    zero, type_code, rank = struct.unpack(">HBB", data[:4])
    if zero != 0 or type_code != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    shape = struct.unpack(f">{rank}I", data[4 : 4 + 4 * rank])
    return shape, data[4 + 4 * rank :]


def write_idx(path, shape, payload):
    header = struct.pack(">HBB", 0, 0x08, len(shape)) + struct.pack(f">{len(shape)}I", *shape)
    with open(path, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as f:
            f.write(header + payload)


def subset(source, target, prefix, per_class):
    image_shape, pixels = read_idx(os.path.join(source, f"{prefix}-images-idx3-ubyte.gz"))
    label_shape, labels = read_idx(os.path.join(source, f"{prefix}-labels-idx1-ubyte.gz"))
    count, rows, cols = image_shape
    assert label_shape == (count,), (label_shape, count)
    size = rows * cols
    taken = [0] * CLASSES
    chosen = []
    for i, label in enumerate(labels):
        if taken[label] < per_class:
            taken[label] += 1
            chosen.append(i)
    assert taken == [per_class] * CLASSES, taken
    write_idx(os.path.join(target, f"{prefix}-images-idx3-ubyte.gz"), (len(chosen), rows, cols),
              b"".join(pixels[i * size : (i + 1) * size] for i in chosen))
    write_idx(os.path.join(target, f"{prefix}-labels-idx1-ubyte.gz"), (len(chosen),),
              bytes(labels[i] for i in chosen))
    print(f"{prefix}: {len(chosen)} of {count} ({per_class} per class)")


def main():
    source = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist"
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    target = sys.argv[2] if len(sys.argv) > 2 else os.path.join(root, "samples", "FashionMlp", "data")
    os.makedirs(target, exist_ok=True)
    subset(source, target, "train", PER_CLASS_TRAIN)
    subset(source, target, "t10k", PER_CLASS_TEST)


if __name__ == "__main__":
    main()
