/** Quoted by `page.md`. */
export function greet(name: string): string {
  return `Hello, ${name}!`;
}
