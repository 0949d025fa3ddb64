#!/usr/bin/env python3
"""Frame floors of the capture corpus, computed without any code of this project.

Reads every file of the corpus with libpcap itself (pcap_open_offline and pcap_next_ex through ctypes) and prints,
per file: the frames libpcap delivers before the end or the damage, how it ended, and how many of those frames
carry a well-formed IPv4 or IPv6 packet by the rules below (RFC 791, RFC 8200), which are stricter than the
project's decoder on purpose, so that the count is a floor for it:

  link types  Ethernet (1), Linux cooked v1 (113) and v2 (276): EtherType 0x0800 or 0x86DD right after the
              header, no VLAN tag, MPLS or PPPoE; raw IP (101, 12, 14, 228 IPv4 only, 229 IPv6 only)
  IPv4        version 4, IHL >= 5, the whole header captured, total length >= header length (0 not accepted);
              a later fragment (offset != 0) counts; otherwise 4 bytes of payload captured within total length,
              and no AH (51)
  IPv6        version 6, the 40-byte header captured, payload length > 0, no extension header (0, 43, 44, 51,
              60) and 4 bytes of payload captured within the payload length

The output is the table traffic-core reads as src/test/resources/io/trafficanalyzer/core/testing/corpus-floors.tsv:

  python3 traffic-core/src/test/scripts/corpus-floors.py /work/shared/corpus \
      > traffic-core/src/test/resources/io/trafficanalyzer/core/testing/corpus-floors.tsv
"""
import ctypes
import ctypes.util
import os
import sys


class Timeval(ctypes.Structure):
    _fields_ = [("tv_sec", ctypes.c_long), ("tv_usec", ctypes.c_long)]


class PktHdr(ctypes.Structure):
    _fields_ = [("ts", Timeval), ("caplen", ctypes.c_uint32), ("len", ctypes.c_uint32)]


PCAP = ctypes.CDLL(ctypes.util.find_library("pcap") or "libpcap.so.0.8")
PCAP.pcap_open_offline.restype = ctypes.c_void_p
PCAP.pcap_open_offline.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
PCAP.pcap_next_ex.restype = ctypes.c_int
PCAP.pcap_next_ex.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.POINTER(PktHdr)),
                              ctypes.POINTER(ctypes.POINTER(ctypes.c_ubyte))]
PCAP.pcap_datalink.restype = ctypes.c_int
PCAP.pcap_datalink.argtypes = [ctypes.c_void_p]
PCAP.pcap_close.argtypes = [ctypes.c_void_p]
PCAP.pcap_lib_version.restype = ctypes.c_char_p

ETHER_LIKE = {1: (14, 12), 113: (16, 14), 276: (20, 0)}  # link type: (header length, EtherType offset)
RAW_ANY = {101, 12, 14}
EXTENSION_HEADERS = {0, 43, 44, 51, 60}


def well_formed_ip(data, offset, version):
    """True when data[offset:] starts with an IP packet of the given version (0: either) by the rules above."""
    if offset >= len(data):
        return False
    found = data[offset] >> 4
    if version and found != version:
        return False
    if found == 4:
        ihl = (data[offset] & 0x0F) * 4
        if ihl < 20 or len(data) - offset < ihl:
            return False
        total = int.from_bytes(data[offset + 2:offset + 4], "big")
        if total < ihl:
            return False
        if int.from_bytes(data[offset + 6:offset + 8], "big") & 0x1FFF:
            return True
        end = offset + min(len(data) - offset, total)
        return data[offset + 9] != 51 and end - (offset + ihl) >= 4
    if found == 6:
        if len(data) - offset < 40:
            return False
        payload = int.from_bytes(data[offset + 4:offset + 6], "big")
        if payload == 0 or data[offset + 6] in EXTENSION_HEADERS:
            return False
        end = offset + min(len(data) - offset, 40 + payload)
        return end - (offset + 40) >= 4
    return False


def well_formed(link_type, data):
    if link_type in ETHER_LIKE:
        header, type_offset = ETHER_LIKE[link_type]
        if len(data) < header:
            return False
        ether_type = int.from_bytes(data[type_offset:type_offset + 2], "big")
        if ether_type == 0x0800:
            return well_formed_ip(data, header, 4)
        if ether_type == 0x86DD:
            return well_formed_ip(data, header, 6)
        return False
    if link_type in RAW_ANY:
        return well_formed_ip(data, 0, 0)
    if link_type == 228:
        return well_formed_ip(data, 0, 4)
    if link_type == 229:
        return well_formed_ip(data, 0, 6)
    return False


def floors(path):
    errbuf = ctypes.create_string_buffer(256)
    handle = PCAP.pcap_open_offline(path.encode(), errbuf)
    if not handle:
        return 0, 0, "not-opened"
    try:
        link_type = PCAP.pcap_datalink(handle)
        header = ctypes.POINTER(PktHdr)()
        data = ctypes.POINTER(ctypes.c_ubyte)()
        frames = 0
        ip = 0
        while True:
            result = PCAP.pcap_next_ex(handle, ctypes.byref(header), ctypes.byref(data))
            if result == 1:
                frames += 1
                caplen = header.contents.caplen
                if well_formed(link_type, bytes(data[:caplen])):
                    ip += 1
            elif result == -2:
                return frames, ip, "end"
            else:
                return frames, ip, "damage"
    finally:
        PCAP.pcap_close(handle)


def main():
    corpus = sys.argv[1]
    files = []
    for root, _, names in os.walk(corpus):
        for name in names:
            if not name.startswith("LICENSE") and not name.endswith(".md"):
                files.append(os.path.relpath(os.path.join(root, name), corpus))
    print("# frames libpcap reads from each corpus file (read floor), the well-formed IP packets among them")
    print("# (decoded floor) and how libpcap's reading ended; made by traffic-core/src/test/scripts/corpus-floors.py")
    print("# with " + PCAP.pcap_lib_version().decode())
    print("# file\tframes\tip\tending")
    for name in sorted(files):
        frames, ip, ending = floors(os.path.join(corpus, name))
        print(f"{name}\t{frames}\t{ip}\t{ending}")


if __name__ == "__main__":
    main()
