/*
 * Reference values for enrich's seeded random source (src/trial/randomisation/seeded-random.ts):
 * xoshiro128** 1.1 (Blackman & Vigna, https://prng.di.unimi.it/xoshiro128starstar.c) seeded by
 * splitmix64 (https://prng.di.unimi.it/splitmix64.c), written here from the published algorithms in plain
 * C99 with exact unsigned 32/64-bit arithmetic, so the TypeScript port is checked against integer C.
 *
 * Seed scheme (documented in docs/reference/randomisation.md): splitmix64 starts at the seed x;
 * stream k discards 2k splitmix64 outputs, then takes two outputs o1, o2 and sets
 * s = { low32(o1), high32(o1), low32(o2), high32(o2) }.
 *
 * Run from the repository root:
 *   cc -std=c99 -O2 -o /tmp/seeded-random reference/seeded-random.c && /tmp/seeded-random > test/fixtures/seeded-random.json
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>

static uint64_t splitmix64_next(uint64_t *x) {
  uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));
  z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
  return z ^ (z >> 31);
}

static uint32_t rotl(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

static uint32_t xoshiro128ss_next(uint32_t s[4]) {
  const uint32_t result = rotl(s[1] * 5u, 7) * 9u;
  const uint32_t t = s[1] << 9;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 11);
  return result;
}

static void seed_state(uint64_t seed, unsigned stream, uint32_t s[4]) {
  uint64_t x = seed;
  for (unsigned i = 0; i < 2 * stream; i++) splitmix64_next(&x);
  uint64_t o1 = splitmix64_next(&x), o2 = splitmix64_next(&x);
  s[0] = (uint32_t)o1;
  s[1] = (uint32_t)(o1 >> 32);
  s[2] = (uint32_t)o2;
  s[3] = (uint32_t)(o2 >> 32);
}

int main(void) {
  const uint64_t seeds[] = {0, 1, 42, 20240601, UINT64_C(9007199254740991)};
  const unsigned streams[] = {0, 1, 5};
  printf("{\n  \"generated_by\": \"reference/seeded-random.c\",\n");
  /* splitmix64 from seed 1234567: the commonly published check values begin 6457827717110365317. */
  uint64_t x = 1234567;
  printf("  \"splitmix64_1234567\": [");
  for (int i = 0; i < 5; i++) printf("%s\"%" PRIu64 "\"", i ? ", " : "", splitmix64_next(&x));
  printf("],\n  \"cases\": [\n");
  int first = 1;
  for (unsigned a = 0; a < sizeof seeds / sizeof *seeds; a++) {
    for (unsigned b = 0; b < sizeof streams / sizeof *streams; b++) {
      uint32_t s[4];
      seed_state(seeds[a], streams[b], s);
      printf("%s    {\"seed\": %" PRIu64 ", \"stream\": %u, \"state\": [%u, %u, %u, %u], \"outputs\": [", first ? "" : ",\n",
             seeds[a], streams[b], s[0], s[1], s[2], s[3]);
      first = 0;
      for (int i = 0; i < 12; i++) printf("%s%u", i ? ", " : "", xoshiro128ss_next(s));
      /* the 1000th output, after 988 more, checks long runs */
      uint32_t last = 0;
      for (int i = 12; i < 1000; i++) last = xoshiro128ss_next(s);
      printf("], \"output_1000\": %u}", last);
    }
  }
  printf("\n  ]\n}\n");
  return 0;
}
