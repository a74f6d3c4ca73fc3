/* Many returns, a switch table and a huge function body. */
#include <stdio.h>

int classify(int x) {
  if (x < 0) return -1;
  if (x == 0) return 0;
  if (x == 1) return 1;
  if (x % 2 == 0) return 2;
  if (x % 3 == 0) return 3;
  if (x % 5 == 0) return 5;
  if (x % 7 == 0) return 7;
  return 11;
}

int table(int x) {
  switch (x & 15) {
  case 0: return 10;
  case 1: return 21;
  case 2: return 32;
  case 3: return 43;
  case 4: return 54;
  case 5: return 65;
  case 6: return 76;
  case 7: return 87;
  case 8: return 98;
  case 9: return 19;
  case 10: return 20;
  case 11: return 31;
  default: return x;
  }
}

#define STEP(n) acc = acc * 31 + (x ^ n); if (acc > 100000) acc %= 9973;
#define STEP10(n) STEP(n##0) STEP(n##1) STEP(n##2) STEP(n##3) STEP(n##4) STEP(n##5) STEP(n##6) STEP(n##7) STEP(n##8) STEP(n##9)
#define STEP100(n) STEP10(n##0) STEP10(n##1) STEP10(n##2) STEP10(n##3) STEP10(n##4) STEP10(n##5) STEP10(n##6) STEP10(n##7) STEP10(n##8) STEP10(n##9)
long huge(int x) {
  long acc = 1;
  STEP100(1) STEP100(2) STEP100(3) STEP100(4) STEP100(5) STEP100(6) STEP100(7) STEP100(8) STEP100(9)
  return acc;
}

int main(void) {
  long s = 0;
  for (int i = -3; i < 200; i++) s += classify(i) + table(i) + huge(i) % 1000;
  printf("%ld\n", s);
  return 0;
}
