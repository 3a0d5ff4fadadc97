// `npm run js-budget`: every route's gzipped JavaScript (entry and root down to the leaf, with imports) from
// the last build, one table; exits 1 when a cadre's page is over 120 KiB. Builds nothing itself.
import { CADRE_BUDGET, KiB, javascriptTable } from "./js-size";

const rows = javascriptTable();
console.log("| route | cadre | JS files | JS gz KiB |");
console.log("|-------|:-----:|---------:|----------:|");
for (const r of rows) {
  console.log(
    `| ${r.route} | ${r.cadre ? "●" : ""} | ${r.files} | ${(r.gzip / KiB).toFixed(1)}${r.over ? " ✗" : ""} |`,
  );
}
const over = rows.filter((r) => r.over);
console.log("");
if (over.length) {
  console.log(`${over.length} cadre page(s) over ${CADRE_BUDGET / KiB} KiB: ${over.map((r) => r.route).join(", ")}`);
  process.exit(1);
}
console.log(`every cadre page within ${CADRE_BUDGET / KiB} KiB`);
