#!/usr/bin/env python3
"""Writes the small NIfTI-1 files of corpus/image/seeds (how they were made; they are committed).
Usage: make-nifti-seeds.py FOLDER"""
import struct
import sys


def nifti(dims, datatype, bitpix, values, intent=0, pixdim=None):
    """A single-file NIfTI-1 image (.nii): 348-byte header, 4 bytes of extension flag, data."""
    dim = [len(dims)] + list(dims) + [1] * (7 - len(dims))
    pixdim = [1.0] + (pixdim or [1.0] * 7)
    header = struct.pack("<i10s18sihcB", 348, b"", b"", 0, 0, b"r", 0)
    header += struct.pack("<8h", *dim)
    header += struct.pack("<3f", 0.0, 0.0, 0.0)  # intent parameters
    header += struct.pack("<hhhh", intent, datatype, bitpix, 0)
    header += struct.pack("<8f", *pixdim)
    header += struct.pack("<fffhBBffffii", 352.0, 1.0, 0.0, 0, 10, 0, 0.0, 0.0, 0.0, 0.0, 0, 0)
    header += struct.pack("<80s24shh", b"revgan fuzz seed", b"", 1, 0)  # descrip, aux, qform, sform codes
    header += struct.pack("<6f", 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)  # quaternion and offsets
    header += struct.pack("<12f", 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0)  # srow_x, srow_y, srow_z
    header += struct.pack("<16s4s", b"", b"n+1\0")
    assert len(header) == 348, len(header)
    fmt = {16: "f", 2: "B", 4: "h"}[datatype]
    return header + b"\0\0\0\0" + struct.pack("<%d%s" % (len(values), fmt), *values)


folder = sys.argv[1]
files = {
    "scalar-2d-float.nii": nifti([6, 5], 16, 32, [0.5 * i for i in range(30)]),
    "scalar-3d-uchar.nii": nifti([4, 3, 2], 2, 8, list(range(24)), pixdim=[0.5, 0.5, 2.0, 1, 1, 1, 1]),
    "volumes-4d-six.nii": nifti([3, 2, 2, 6], 16, 32, [0.001 * i for i in range(72)]),
    # intent 1005 = SYMMATRIX: 3D, one 6-component tensor per voxel in dim[5]
    "tensor-3d-symmatrix.nii": nifti([2, 2, 2, 1, 6], 16, 32, [0.001 * i for i in range(48)], intent=1005),
    "scalar-2d-short.nii": nifti([4, 4], 4, 16, list(range(-8, 8))),
}
for name, data in files.items():
    with open(f"{folder}/{name}", "wb") as out:
        out.write(data)
