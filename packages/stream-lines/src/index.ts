export { pumpLines } from "./pump-lines.ts";
