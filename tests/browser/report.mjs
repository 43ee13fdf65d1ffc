// The HTML report in a real browser (Debian's Chromium driven by playwright-core): run by
// scripts/browser-test.sh, which writes the reports this reads.
//
//   node tests/browser/report.mjs REPORT.html HOSTILE.html CLONES.html [SCREENSHOT_DIR]
//
// Asserts from the page itself, after its script ran: no console error or page error, the gate
// table with the right statuses, sorting the functions table by complexity reorders its rows,
// the file view of a partly covered file shades covered and missed lines, the clone view shows
// two copies; and on the hostile report, that nothing injected runs or exists.
import { createRequire } from "node:module";

// playwright-core is installed outside the repository (scripts/browser-test.sh).
const { chromium } = createRequire(process.env.QGATE_PLAYWRIGHT + "/node_modules/")("playwright-core");

//   node tests/browser/report.mjs --time REPORT.html   (how long the overview and tables take)
const [report, hostile, clones, shots] = process.argv.slice(2);
let failures = 0;
function check(what, ok) {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures++;
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});

async function open(file, width = 1280) {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const problems = [], requests = [];
  page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") problems.push(m.text()); });
  page.on("pageerror", (e) => problems.push(String(e)));
  page.on("dialog", async (d) => { problems.push("dialog: " + d.message()); await d.dismiss(); });
  page.on("request", (r) => { if (!r.url().startsWith("file://")) requests.push(r.url()); });
  const started = Date.now();
  await page.goto("file://" + file);
  await page.waitForSelector("#gates");
  return { page, problems, requests, ms: Date.now() - started };
}

if (report === "--time") {
  for (let run = 0; run < 3; run++) {
    const { page, problems, ms } = await open(hostile);
    const t0 = Date.now();
    await page.click("nav a[href='#functions']");
    await page.waitForSelector("#functions-table tbody tr");
    const functions = Date.now() - t0, t1 = Date.now();
    await page.click("#functions-table th:nth-child(5) button");
    const sort = Date.now() - t1;
    const rows = await page.evaluate(() => JSON.parse(document.getElementById("qgate-data").textContent).functions.length);
    console.log(`overview ${ms} ms · functions table (${rows} functions) ${functions} ms · re-sort ${sort} ms · console errors: ${problems.length}`);
    await page.close();
  }
  await browser.close();
  process.exit(0);
}

{
  const { page, problems, requests, ms } = await open(report);
  const statuses = await page.$$eval("tr.gate", (rows) => rows.map((r) => r.dataset.gate + "=" + r.dataset.status).join(" "));
  check(`gate table statuses (${statuses})`, statuses.includes("coverage=fail") && statuses.includes("complexity=pass") && statuses.includes("security=skipped"));
  check(`overview rendered in ${ms} ms`, ms < 2000);
  if (shots) await page.screenshot({ path: `${shots}/html-overview.png`, fullPage: true });

  await page.click("nav a[href='#functions']");
  await page.waitForSelector("#functions-table tbody tr");
  const names = () => page.$$eval("#functions-table tbody tr", (rows) => rows.map((r) => r.cells[0].textContent + ":" + r.cells[3].textContent));
  const before = await names();
  const complexities = before.map((s) => Number(s.split(":").pop()));
  check(`functions sorted by complexity, highest first (${complexities.join(",")})`, complexities.every((v, i) => i === 0 || complexities[i - 1] >= v));
  await page.click("#functions-table th:nth-child(4) button");
  const after = await names();
  const ascending = after.map((s) => Number(s.split(":").pop()));
  check(`a click on "complexity" reorders the rows (${ascending.join(",")})`, after.join() !== before.join() && ascending.every((v, i) => i === 0 || ascending[i - 1] <= v));
  const sort = await page.$eval("#functions-table th:nth-child(4)", (th) => th.getAttribute("aria-sort"));
  check(`the header says the sort (aria-sort=${sort})`, sort === "ascending");
  await page.fill("#functions-filter", "CartTest");
  const filtered = await page.$$eval("#functions-table tbody tr", (rows) => rows.length);
  check(`the filter narrows the rows to the 3 CartTest methods (${filtered})`, filtered === 3);

  await page.click("nav a[href='#files']");
  await page.waitForSelector("#files-table tbody tr");
  const fileLink = await page.$("#files-table a[href^='#file=']:text('shop/cart.py')");
  check("the files table links shop/cart.py", !!fileLink);
  await fileLink.click();
  await page.waitForSelector("#source .ln");
  const shading = await page.$$eval("#source .ln", (lines) => ({
    covered: lines.filter((l) => l.classList.contains("covered")).length,
    missed: lines.filter((l) => l.classList.contains("missed")).map((l) => l.id).join(","),
    partial: lines.filter((l) => l.classList.contains("partial")).map((l) => l.id).join(","),
  }));
  check(`file view shading: ${shading.covered} covered, missed ${shading.missed}, partial ${shading.partial}`,
    shading.covered > 0 && shading.missed === "L15,L21,L31,L32,L33" && shading.partial === "L14,L20");
  const annotations = await page.$$eval("#source .ann", (a) => a.map((x) => x.textContent).join("|"));
  check("each function's complexity at its line", annotations.includes("ƒ shipping — cyclomatic 4 (A) · cognitive 3"));
  if (shots) await page.screenshot({ path: `${shots}/html-file-view.png`, fullPage: true });

  const phone = await browser.newPage({ viewport: { width: 390, height: 800 } });
  await phone.goto("file://" + report);
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(`no horizontal overflow at phone width (${overflow} px)`, overflow <= 1);
  check(`no console error (${problems.join(" | ") || "none"})`, problems.length === 0);
  check(`no request outside the file (${requests.join(" ") || "none"})`, requests.length === 0);
}

{
  const { page, problems, requests } = await open(hostile);
  const title = await page.title();
  check(`hostile: title unchanged ("${title}")`, title === "qgate report");
  await page.click("nav a[href='#files']");
  await page.waitForSelector("#files-table tbody tr");
  const shown = await page.$$eval("#files-table tbody a", (a) => a.map((x) => x.textContent).join("|"));
  check("hostile: the file name is shown as text", shown.includes("<img src=x onerror=alert(1)>.py"));
  await page.click("#files-table tbody a");
  await page.waitForSelector("#source .ln");
  const code = await page.$eval("#source", (s) => s.textContent);
  check("hostile: the source is shown as text", code.includes("</script><script>document.title='pwned'</script>"));
  const injected = await page.evaluate(() => document.querySelectorAll("img, iframe, object, embed, svg [onload], [onerror]").length +
    [...document.querySelectorAll("script")].length - 2 + [...document.querySelectorAll("a[href]")].filter((a) => /^\s*javascript:/i.test(a.getAttribute("href"))).length);
  check(`hostile: no injected element, script or javascript: link (${injected})`, injected === 0);
  check(`hostile: title still unchanged ("${await page.title()}")`, (await page.title()) === "qgate report");
  check(`hostile: no console error or dialog (${problems.join(" | ") || "none"})`, problems.length === 0);
  check(`hostile: no request (${requests.join(" ") || "none"})`, requests.length === 0);
}

{
  const { page, problems } = await open(clones);
  await page.click("svg.chart a");
  await page.waitForSelector("#view-clone .side");
  const sides = await page.$$eval("#view-clone .side .source", (boxes) => boxes.map((b) => b.querySelectorAll(".ln.dup").length));
  check(`clone view: two copies side by side (${sides.join(" and ")} lines)`, sides.length === 2 && sides[0] === 27 && sides[1] === 27);
  const heading = await page.$eval("#view-clone h1", (h) => h.textContent);
  check(`clone view heading ("${heading}")`, heading.startsWith("Clone of 27 lines"));
  if (shots) await page.screenshot({ path: `${shots}/html-clone-view.png`, fullPage: true });
  await page.emulateMedia({ colorScheme: "dark" });
  await page.goto("file://" + clones + "#overview");
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  check(`dark mode follows prefers-color-scheme (${bg})`, bg === "rgb(20, 23, 28)");
  if (shots) await page.screenshot({ path: `${shots}/html-overview-dark.png`, fullPage: true });
  check(`clones: no console error (${problems.join(" | ") || "none"})`, problems.length === 0);
}

await browser.close();
console.log(failures ? `${failures} failed` : "all passed");
process.exit(failures ? 1 : 0);
