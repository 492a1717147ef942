#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Writes the small image files of corpus/image/seeds (how they were made; they are committed):
NIfTI-1 (single files, gzip-compressed, a .hdr/.img pair), NRRD and MetaImage in each layout
(attached or detached data, raw or compressed), PNG and JPEG. A detached header is followed by the
line "revgan-fuzz-data" and its data, as ImageFileFuzzer.cpp splits them.
Usage: /usr/bin/python3 make-image-seeds.py FOLDER   (the JPEG seed needs Debian's python3-pil)"""
import gzip
import io
import struct
import sys
import zlib


def nifti(dims, datatype, bitpix, values, intent=0, pixdim=None, pair=False):
    """A single-file NIfTI-1 image (.nii): 348-byte header, 4 bytes of extension flag, data; or
    (pair) the header of a .hdr/.img pair (magic "ni1", data from byte 0 of the .img) and its data."""
    dim = [len(dims)] + list(dims) + [1] * (7 - len(dims))
    pixdim = [1.0] + (pixdim or [1.0] * 7)
    header = struct.pack("<i10s18sihcB", 348, b"", b"", 0, 0, b"r", 0)
    header += struct.pack("<8h", *dim)
    header += struct.pack("<3f", 0.0, 0.0, 0.0)  # intent parameters
    header += struct.pack("<hhhh", intent, datatype, bitpix, 0)
    header += struct.pack("<8f", *pixdim)
    header += struct.pack("<fffhBBffffii", 0.0 if pair else 352.0, 1.0, 0.0, 0, 10, 0, 0.0, 0.0, 0.0, 0.0, 0, 0)
    header += struct.pack("<80s24shh", b"revgan fuzz seed", b"", 1, 0)  # descrip, aux, qform, sform codes
    header += struct.pack("<6f", 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)  # quaternion and offsets
    header += struct.pack("<12f", 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0)  # srow_x, srow_y, srow_z
    header += struct.pack("<16s4s", b"", b"ni1\0" if pair else b"n+1\0")
    assert len(header) == 348, len(header)
    fmt = {16: "f", 2: "B", 4: "h"}[datatype]
    return header + (b"" if pair else b"\0\0\0\0") + struct.pack("<%d%s" % (len(values), fmt), *values)


DETACHED = b"\nrevgan-fuzz-data\n"
VOLUME = bytes(range(24))  # 4 x 3 x 2 unsigned chars


def nrrd(encoding, detached, kinds=None, sizes="4 3 2", data=VOLUME, type_="uchar"):
    """A NRRD volume: attached (.nrrd) or with its data in data.raw (.nhdr); raw or gzip."""
    header = "NRRD0004\ntype: %s\ndimension: %d\nspace: left-posterior-superior\nsizes: %s\n" % (
        type_, len(sizes.split()), sizes)
    header += "space directions: %s(1,0,0) (0,1,0) (0,0,2)\n" % ("none " if kinds else "")
    if kinds:
        header += "kinds: %s\nmeasurement frame: (1,0,0) (0,1,0) (0,0,1)\n" % kinds
    header += "endian: little\nencoding: %s\nspace origin: (0,0,0)\n" % encoding
    payload = gzip.compress(data, mtime=0) if encoding == "gzip" else data
    if detached:
        return (header + "data file: data.raw\n").encode().rstrip(b"\n") + DETACHED + payload
    return (header + "\n").encode() + payload


def metaimage(compressed, detached):
    """A MetaImage volume: attached (.mha) or with its data in data.raw (.mhd); raw or zlib."""
    payload = zlib.compress(VOLUME) if compressed else VOLUME
    header = ("ObjectType = Image\nNDims = 3\nBinaryData = True\nBinaryDataByteOrderMSB = False\n"
              "CompressedData = %s\n%sElementSpacing = 1 1 2\nDimSize = 4 3 2\nElementType = MET_UCHAR\n"
              "ElementDataFile = %s\n") % ("True" if compressed else "False",
                                            "CompressedDataSize = %d\n" % len(payload) if compressed else "",
                                            "data.raw" if detached else "LOCAL")
    if detached:
        return header.encode().rstrip(b"\n") + DETACHED + payload
    return header.encode() + payload


def png():
    """A 4 x 3 grey PNG image, written chunk by chunk."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\0" + bytes(range(4 * y, 4 * y + 4)) for y in range(3))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 3, 8, 0, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def jpeg():
    """An 8 x 8 grey JPEG image (Pillow's encoder)."""
    from PIL import Image
    out = io.BytesIO()
    Image.frombytes("L", (8, 8), bytes(range(0, 256, 4))).save(out, "JPEG", quality=90)
    return out.getvalue()


folder = sys.argv[1]
files = {
    "scalar-2d-float.nii": nifti([6, 5], 16, 32, [0.5 * i for i in range(30)]),
    "scalar-3d-uchar.nii": nifti([4, 3, 2], 2, 8, list(range(24)), pixdim=[0.5, 0.5, 2.0, 1, 1, 1, 1]),
    "volumes-4d-six.nii": nifti([3, 2, 2, 6], 16, 32, [0.001 * i for i in range(72)]),
    # intent 1005 = SYMMATRIX: 3D, one 6-component tensor per voxel in dim[5]
    "tensor-3d-symmatrix.nii": nifti([2, 2, 2, 1, 6], 16, 32, [0.001 * i for i in range(48)], intent=1005),
    "scalar-2d-short.nii": nifti([4, 4], 4, 16, list(range(-8, 8))),
    "scalar-3d-uchar-gzip.nii.gz": gzip.compress(nifti([4, 3, 2], 2, 8, list(range(24))), mtime=0),
    "scalar-3d-uchar-pair.hdr-img": nifti([4, 3, 2], 2, 8, list(range(24)), pair=True),
    "nrrd-raw.nrrd": nrrd("raw", False),
    "nrrd-gzip.nrrd": nrrd("gzip", False),
    "nhdr-raw.nhdr": nrrd("raw", True),
    "nhdr-gzip.nhdr": nrrd("gzip", True),
    "nrrd-tensor.nrrd": nrrd("raw", False, kinds="3D-symmetric-matrix space space space", sizes="6 2 2 2",
                             data=struct.pack("<48f", *[0.001 * i for i in range(48)]), type_="float"),
    "mha-raw.mha": metaimage(False, False),
    "mha-compressed.mha": metaimage(True, False),
    "mhd-raw.mhd": metaimage(False, True),
    "mhd-compressed.mhd": metaimage(True, True),
    "scalar-2d.png": png(),
    "scalar-2d.jpg": jpeg(),
}
for name, data in files.items():
    with open(f"{folder}/{name}", "wb") as out:
        out.write(data)
