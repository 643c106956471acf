#!/usr/bin/env python3
"""Prints each failed test of the given TRX files with the first lines of its error message."""
import sys
import xml.etree.ElementTree as ET

NS = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"

for path in sys.argv[1:]:
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as error:
        print(f"FAILED-TESTS: cannot read {path}: {error}")
        continue
    for result in root.iter(NS + "UnitTestResult"):
        if result.get("outcome") not in ("Failed", "Error", "Timeout"):
            continue
        message = result.findtext(f"{NS}Output/{NS}ErrorInfo/{NS}Message") or ""
        stack = result.findtext(f"{NS}Output/{NS}ErrorInfo/{NS}StackTrace") or ""
        print(f"FAILED: {result.get('testName')} ({result.get('duration')})")
        for line in (message.strip().splitlines()[:40] + stack.strip().splitlines()[:4]):
            print(f"    {line[:300]}")
