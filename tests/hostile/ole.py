"""A minimal OLE compound file (CFB v3) writer, to build Word 97-2003 files in tests.

``word97(macros=True)`` lays out a .doc the way Word stores a document with a VBA project: a
``WordDocument`` stream and a ``Macros`` storage holding ``PROJECT`` and ``VBA/_VBA_PROJECT``,
``VBA/dir`` and a ``VBA/Module1`` stream whose text is an ``AutoOpen`` macro. That is the
structure oletools' VBA_Parser looks for; the test checks that it really finds it.
"""

from __future__ import annotations

import struct

SECTOR = 512
FREE, END, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
MINI_CUTOFF = 4096


def _entry(name, kind, *, child=NOSTREAM, right=NOSTREAM, start=END, size=0) -> bytes:
    encoded = (name + "\0").encode("utf-16-le")
    return (
        encoded.ljust(64, b"\0")
        + struct.pack("<HBB", len(encoded), kind, 1)  # name length, type, colour (black)
        + struct.pack("<III", NOSTREAM, right, child)  # left sibling, right sibling, child
        + b"\0" * 16  # CLSID
        + b"\0" * 4  # state bits
        + b"\0" * 16  # creation and modification times
        + struct.pack("<IQ", start, size)
    )


def compound_file(tree: list[tuple]) -> bytes:
    """tree: (name, kind, parent index or None, data) in order; kind 5 root, 1 storage, 2 stream.

    Streams are padded to the mini-stream cutoff so every stream lives in ordinary sectors.
    """
    streams = {}
    sectors: list[bytes] = []
    for index, (_, kind, _, data) in enumerate(tree):
        if kind == 2:
            data = data.ljust(MINI_CUTOFF, b"\0")
            first = len(sectors)
            for offset in range(0, len(data), SECTOR):
                sectors.append(data[offset : offset + SECTOR].ljust(SECTOR, b"\0"))
            streams[index] = (first, len(data))
    # children: first child of each storage, then right-sibling chains
    children: dict[int, list[int]] = {}
    for index, (_, _, parent, _) in enumerate(tree):
        if parent is not None:
            children.setdefault(parent, []).append(index)
    entries = []
    for index, (name, kind, _, _) in enumerate(tree):
        siblings = None
        for kids in children.values():
            if index in kids:
                siblings = kids
        right = NOSTREAM
        if siblings and siblings.index(index) + 1 < len(siblings):
            right = siblings[siblings.index(index) + 1]
        child = children.get(index, [NOSTREAM])[0]
        start, size = streams.get(index, (END, 0))
        entries.append(_entry(name, kind, child=child, right=right, start=start, size=size))
    directory = b"".join(entries)
    directory = directory.ljust(-(-len(directory) // SECTOR) * SECTOR, b"\0")
    dir_first = len(sectors)
    dir_count = len(directory) // SECTOR
    for offset in range(0, len(directory), SECTOR):
        sectors.append(directory[offset : offset + SECTOR])
    fat_first = len(sectors)
    total = len(sectors) + 1  # one FAT sector holds 128 entries: plenty here
    assert total <= 128
    fat = [FREE] * 128
    for first, size in streams.values():
        count = size // SECTOR
        for i in range(count):
            fat[first + i] = first + i + 1 if i + 1 < count else END
    for i in range(dir_count):
        fat[dir_first + i] = dir_first + i + 1 if i + 1 < dir_count else END
    fat[fat_first] = FATSECT
    sectors.append(struct.pack("<128I", *fat))
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<IIII", 0, 1, dir_first, 0)  # dir sectors (v3: 0), FAT sectors, first dir
        + struct.pack("<IIIII", MINI_CUTOFF, END, 0, END, 0)  # cutoff, mini FAT, DIFAT
        + struct.pack("<109I", fat_first, *([FREE] * 108))
    )
    assert len(header) == SECTOR
    return header + b"".join(sectors)


AUTO_OPEN = (
    b'Attribute VB_Name = "Module1"\r\nSub AutoOpen()\r\n    Shell "calc.exe"\r\nEnd Sub\r\n'
)


def word97(*, macros: bool) -> bytes:
    tree = [
        ("Root Entry", 5, None, b""),
        ("WordDocument", 2, 0, b"\xec\xa5\xc1\x00" + b"A document. " * 20),
    ]
    if macros:
        tree += [
            ("Macros", 1, 0, b""),
            ("PROJECT", 2, 2, b'ID="{00000000-0000-0000-0000-000000000000}"\r\nModule=Module1\r\n'),
            ("VBA", 1, 2, b""),
            ("_VBA_PROJECT", 2, 4, b"\xcc\x61\xff\xff\x00\x00\x00"),
            ("dir", 2, 4, b"\x01" + b"\0" * 16),
            ("Module1", 2, 4, AUTO_OPEN),
        ]
    return compound_file(tree)
