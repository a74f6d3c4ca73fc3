#!/usr/bin/env python3
"""Writes the example programs (programs/*.json) and input grids
(grids/inputs.txt). Deterministic: run it again and nothing changes."""
import json
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(20261124)


def operation():
    kind = rng.choice(["rotate", "flip", "transpose", "color_replace", "flood_fill", "crop", "tile",
                       "scale", "gravity", "overlay", "extract_objects", "shift", "invert",
                       "color_replace", "flood_fill", "rotate"])
    if kind == "rotate":
        return {"type": kind, "angle": rng.choice([90, 180, 270])}
    if kind == "flip":
        return {"type": kind, "axis": rng.choice(["horizontal", "vertical"])}
    if kind == "color_replace":
        return {"type": kind, "from_color": rng.randrange(10), "to_color": rng.randrange(10)}
    if kind == "flood_fill":
        return {"type": kind, "row": rng.randrange(5), "col": rng.randrange(5), "color": rng.randrange(10)}
    if kind == "crop":
        return {"type": kind, "row": rng.randrange(3), "col": rng.randrange(3), "height": rng.randrange(4, 20),
                "width": rng.randrange(4, 20)}
    if kind == "tile":
        return {"type": kind, "rows": rng.randrange(1, 4), "cols": rng.randrange(1, 4)}
    if kind == "scale":
        return {"type": kind, "factor": rng.randrange(1, 4)}
    if kind == "gravity":
        return {"type": kind, "direction": rng.choice(["down", "up", "left", "right"]), "background": 0}
    if kind == "overlay":
        return {"type": kind, "transparent": 0}
    if kind == "extract_objects":
        return {"type": kind, "background": 0}
    if kind == "shift":
        return {"type": kind, "rows": rng.randrange(-5, 6), "cols": rng.randrange(-5, 6)}
    return {"type": kind}


def main():
    os.makedirs(os.path.join(HERE, "programs"), exist_ok=True)
    os.makedirs(os.path.join(HERE, "grids"), exist_ok=True)
    # the guide's own example first, then 21 programs of 3 to 40 operations
    programs = [[{"type": "rotate", "angle": 90}, {"type": "color_replace", "from_color": 0, "to_color": 5}]]
    for size in [3, 4, 5, 6, 7, 8, 9, 10, 12, 14, 16, 18, 20, 22, 25, 28, 30, 33, 36, 38, 40]:
        programs.append([operation() for _ in range(size)])
    for i, ops in enumerate(programs, 1):
        with open(os.path.join(HERE, "programs", "p%02d.json" % i), "w") as f:
            json.dump({"operations": ops}, f, indent=1)
            f.write("\n")
    with open(os.path.join(HERE, "grids", "inputs.txt"), "w") as f:
        for rows, cols in [(3, 3), (5, 7), (10, 10), (12, 20), (20, 15), (30, 30)]:
            for _ in range(rows):
                f.write("".join(str(rng.choice([0, 0, 0, rng.randrange(1, 10)])) for _ in range(cols)) + "\n")
            f.write("\n")


if __name__ == "__main__":
    main()
