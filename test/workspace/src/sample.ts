// A small file for the end-to-end tests to select and ask about.
export function fibonacci(n: number): number {
  if (n < 2) return n;
  let [a, b] = [0, 1];
  for (let i = 2; i <= n; i++) {
    [a, b] = [b, a + b];
  }
  return b;
}

export function greet(name: string): string {
  return `Hello, ${name}!`;
}
