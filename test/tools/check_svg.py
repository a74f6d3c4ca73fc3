#!/usr/bin/env python3
"""Checks the pictures of `tprof report` by their values and structure.

  check_svg.py flame FILE.svg   width, controls, script, every frame's label fits it
  check_svg.py bars FILE.svg    width, no label runs off the left edge, long ones cut
  check_svg.py md REPORT.md     each picture is a link to its own file
"""
import re
import sys
import urllib.parse
import xml.etree.ElementTree as ET

NS = "{http://www.w3.org/2000/svg}"
CHAR_PX = 7.0  # a 12 px monospace character is about 7.2 px wide: the labels' budget


def flame(path):
    root = ET.parse(path).getroot()
    print("width", root.get("width"), "viewBox", root.get("viewBox"))
    ids = sorted(e.get("id") for e in root.iter() if e.get("id"))
    print("controls", " ".join(ids))
    script = root.find(NS + "script")
    body = script.text if script is not None else ""
    print("script", "zoom" in body and "search" in body and "RegExp" in body)
    frames = root.findall(NS + "g")
    frames = [g for g in frames if g.get("class") == "frame"]
    over, named, missing = 0, 0, 0
    for g in frames:
        rect, text, title = g.find(NS + "rect"), g.find(NS + "text"), g.find(NS + "title")
        if text is None:
            missing += 1
            continue
        label = text.text or ""
        if len(label) * CHAR_PX > float(rect.get("width")) - 3:
            over += 1
        if title.text.startswith(g.get("data-name") + " ("):
            named += 1
    print("frames %d, without a text element %d, labels wider than their frame %d, data-name = title %d"
          % (len(frames), missing, over, named))


def bars(path):
    root = ET.parse(path).getroot()
    print("width", root.get("width"), "viewBox", root.get("viewBox"))
    off, cut, longest = 0, 0, 0
    for g in root.findall(NS + "g"):
        title = g.find(NS + "title").text
        label = g.find(NS + "text")
        text = label.text or ""
        right = float(label.get("x"))  # text-anchor end
        if right - len(text) * 7.2 < 0:
            off += 1
        full = title.split(": ")[0]
        if text != full:
            cut += text.endswith("..") and full.startswith(text[:-2])
        longest = max(longest, len(text))
    print("bars %d, labels off the left edge %d, cut with the full name in the tooltip %d, longest label %d"
          % (len(root.findall(NS + "g")), off, cut, longest))


def md(path):
    text = open(path, encoding="utf-8").read()
    for alt, img, href in re.findall(r"\[!\[([^\]]*)\]\(([^)\s]+)\)\]\(([^)\s]+)\)", text):
        print("picture '%s' -> %s, linked to itself %s" % (alt, urllib.parse.unquote(img), img == href))
    print("plain images", len(re.findall(r"(?<!\[)!\[[^\]]*\]\([^)]*\)(?!\])", text)))


if __name__ == "__main__":
    {"flame": flame, "bars": bars, "md": md}[sys.argv[1]](sys.argv[2])
