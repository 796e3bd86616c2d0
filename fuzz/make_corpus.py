#!/usr/bin/env python3
"""Write the seed corpus for fuzz/alligator_fuzz.c into fuzz/corpus/.

Each seed is a small program in the harness's input language (see the comment
at the top of alligator_fuzz.c): byte 0 = heap limit in 64 KiB pages - 1, then
calls.  Deterministic: rerunning rewrites the same files."""
import os, random, struct

TINY, SMALL, EDGE, K64, M1, UNITS, HUGE, OVERFLOW = (c << 5 for c in range(8))

def size(cls, v, low=0):
    return bytes([cls | low]) + struct.pack('<H', v & 0xFFFF)

def malloc(slot, s):            return bytes([0, slot]) + s
def calloc(slot, count, s):     return bytes([2, slot, count]) + s
def realloc(slot, s):           return bytes([3, slot]) + s
def reallocarray(slot, c, s):   return bytes([5, slot, c]) + s
def aligned(slot, kind, a, s):  return bytes([6, slot, kind, a]) + s
def free(slot):                 return bytes([8, slot])
def validate():                 return bytes([11, 0])
def foreign(kb):                return bytes([0x83, 0, kb])  # op 11 with bit 7: a foreign sbrk

seeds = {
    'small-classes': bytes([15]) + b''.join(malloc(i, size(SMALL, 100 * i + 1)) for i in range(21))
                     + b''.join(free(i) for i in range(0, 21, 2)) + validate(),
    'tiny-and-zero': bytes([3]) + malloc(0, size(TINY, 0)) + malloc(1, size(TINY, 1)) + malloc(2, size(TINY, 17))
                     + realloc(0, size(TINY, 0)) + free(1) + free(2),
    'large-units': bytes([63]) + b''.join(malloc(i, size(UNITS, i + 1, 16)) for i in range(8))
                   + free(3) + free(4) + malloc(9, size(UNITS, 2, 16)) + validate(),
    'edge-2k': bytes([7]) + b''.join(malloc(i, size(EDGE, i * 9)) for i in range(8)) + validate(),
    'realloc-grow-shrink': bytes([63]) + malloc(0, size(TINY, 10)) + realloc(0, size(SMALL, 1500))
                           + realloc(0, size(K64, 40000)) + realloc(0, size(SMALL, 100))
                           + realloc(0, size(M1, 30000)) + realloc(1, size(SMALL, 77)) + free(0),
    'calloc': bytes([31]) + calloc(0, 10, size(TINY, 40)) + calloc(1, 3, size(K64, 5000))
              + calloc(2, 255, size(OVERFLOW, 1)) + calloc(3, 0, size(SMALL, 9)) + free(0),
    'aligned': bytes([127]) + b''.join(aligned(i, i % 5, a, size(SMALL, 300 + i))
                                       for i, a in enumerate([4, 5, 6, 8, 10, 11, 12, 13, 16, 0xF3, 1, 2]))
               + validate(),
    'oom': bytes([0]) + b''.join(malloc(i, size(K64, 30000)) for i in range(6))
           + malloc(7, size(HUGE, 0x100)) + malloc(8, size(OVERFLOW, 0)) + free(0) + malloc(9, size(SMALL, 40)),
    'reallocarray': bytes([31]) + reallocarray(0, 4, size(SMALL, 100)) + reallocarray(0, 200, size(K64, 600))
                    + reallocarray(0, 2, size(OVERFLOW, 5)) + reallocarray(0, 0, size(TINY, 1)),
    'foreign-sbrk': bytes([63]) + malloc(0, size(UNITS, 3, 16)) + foreign(1) + malloc(1, size(K64, 60000))
                    + foreign(200) + malloc(2, size(SMALL, 500)) + realloc(1, size(M1, 40000)) + free(0)
                    + foreign(0) + realloc(2, size(K64, 50000)) + validate() + free(1) + malloc(3, size(UNITS, 40, 16)),
    'foreign-small': bytes([4]) + b''.join(malloc(i, size(SMALL, 700 + i)) + foreign(i * 17) for i in range(6))
                     + b''.join(free(i) for i in range(6)) + validate(),
}

rng = random.Random(3)
for k in range(6):  # random programs over every call
    body = bytearray([rng.randrange(256)])
    for _ in range(rng.randrange(20, 120)):
        body += bytes(rng.randrange(256) for _ in range(rng.choice([2, 5, 6, 7])))
    seeds['random-%d' % k] = bytes(body)

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'corpus')
os.makedirs(out, exist_ok=True)
for name, data in seeds.items():
    with open(os.path.join(out, name), 'wb') as f:
        f.write(data)
print('%d seeds in %s' % (len(seeds), out))
