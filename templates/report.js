"use strict";
(function () {
  // Everything shown comes from the JSON below and is set as text (never as markup); links are
  // only in-page (#…) or http(s) links the report validated.
  var D = JSON.parse(document.getElementById("qgate-data").textContent);
  var FC = index(D.file_columns), GC = index(D.function_columns);
  var PAGE = 100;

  function index(cols) { var o = {}; cols.forEach(function (c, i) { o[c] = i; }); return o; }
  function el(tag, attrs) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) { if (attrs[k] !== null && attrs[k] !== undefined) e.setAttribute(k, attrs[k]); });
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === null || c === undefined) continue;
      e.appendChild(typeof c === "object" ? c : document.createTextNode(String(c)));
    }
    return e;
  }
  function webLink(url) { return typeof url === "string" && /^https?:\/\/[^\s]+$/i.test(url) ? url : null; }
  function num(v) { return v === null || v === undefined ? "" : String(v); }
  function pct(v) { return v === null || v === undefined ? "" : v + " %"; }
  function fileHref(i, line) { return "#file=" + i + (line ? "&line=" + line : ""); }
  function inRanges(ranges, n) {
    for (var i = 0; i < ranges.length; i++) if (ranges[i][0] <= n && n <= ranges[i][1]) return true;
    return false;
  }
  var byPath = {};
  D.files.forEach(function (f, i) { byPath[f[FC.path]] = i; });

  // Offender places in the gate table open the file view.
  Array.prototype.forEach.call(document.querySelectorAll("a.place"), function (a) {
    var place = a.getAttribute("data-place") || "", cut = place.lastIndexOf(":");
    var i = byPath[place.slice(0, cut)];
    if (i === undefined) { a.removeAttribute("href"); return; }
    a.setAttribute("href", fileHref(i, place.slice(cut + 1)));
  });

  // A sortable, paged table over `rows` (arrays); `cols`: {title, get(row), num, render(row)}.
  function Table(container, cols, defaultSort) {
    this.container = container; this.cols = cols; this.rows = []; this.page = 0;
    this.sort = defaultSort; this.dir = -1;
  }
  Table.prototype.set = function (rows) { this.rows = rows; this.page = 0; this.order(); this.draw(); };
  Table.prototype.order = function () {
    var c = this.cols[this.sort], dir = this.dir;
    this.rows.sort(function (a, b) {
      var x = c.get(a), y = c.get(b);
      if (x === y) return 0;
      if (x === null || x === undefined) return 1;
      if (y === null || y === undefined) return -1;
      return (x < y ? -1 : 1) * dir;
    });
  };
  Table.prototype.draw = function () {
    var self = this, head = el("tr");
    this.cols.forEach(function (c, i) {
      var b = el("button", { type: "button" }, c.title);
      b.addEventListener("click", function () {
        if (self.sort === i) self.dir = -self.dir; else { self.sort = i; self.dir = c.num ? -1 : 1; }
        self.page = 0; self.order(); self.draw();
      });
      head.appendChild(el("th", { scope: "col", "class": c.num ? "num" : null, "aria-sort": self.sort === i ? (self.dir > 0 ? "ascending" : "descending") : "none" }, b));
    });
    var body = el("tbody"), start = this.page * PAGE, end = Math.min(this.rows.length, start + PAGE);
    for (var r = start; r < end; r++) {
      var row = this.rows[r], tr = el("tr", { "class": row.fails ? "fails" : null });
      this.cols.forEach(function (c) { tr.appendChild(el("td", { "class": c.num ? "num" : null }, c.render ? c.render(row) : num(c.get(row)))); });
      body.appendChild(tr);
    }
    var pager = el("div", { "class": "pager" });
    var prev = el("button", { type: "button" }, "previous"), next = el("button", { type: "button" }, "next");
    prev.disabled = this.page === 0; next.disabled = end >= this.rows.length;
    prev.addEventListener("click", function () { self.page--; self.draw(); });
    next.addEventListener("click", function () { self.page++; self.draw(); });
    pager.appendChild(prev); pager.appendChild(next);
    pager.appendChild(el("span", { "class": "note" }, this.rows.length ? "rows " + (start + 1) + "–" + end + " of " + this.rows.length : "no rows match"));
    this.container.textContent = "";
    this.container.appendChild(el("table", { "class": "data" }, el("thead", null, head), body));
    this.container.appendChild(pager);
  };

  function link(text, href) { return el("a", { href: href }, text); }

  // Files.
  var files = D.files.map(function (f, i) { return { i: i, f: f, fails: f[FC.fails] }; });
  var fileTable = new Table(document.getElementById("files-table"), [
    { title: "path", get: function (r) { return r.f[FC.path]; }, render: function (r) { return link(r.f[FC.path], fileHref(r.i)); } },
    { title: "language", get: function (r) { return r.f[FC.language]; } },
    { title: "lines", num: true, get: function (r) { return r.f[FC.lines]; } },
    { title: "code", num: true, get: function (r) { return r.f[FC.sloc]; } },
    { title: "MI", num: true, get: function (r) { return r.f[FC.mi]; } },
    { title: "coverage", num: true, get: function (r) { return r.f[FC.coverage]; }, render: function (r) { return pct(r.f[FC.coverage]); } },
    { title: "functions", num: true, get: function (r) { return r.f[FC.functions]; } },
    { title: "max cc", num: true, get: function (r) { return r.f[FC.max_cc]; } },
    { title: "max cognitive", num: true, get: function (r) { return r.f[FC.max_cognitive]; } },
    { title: "duplicated", num: true, get: function (r) { return r.f[FC.duplicated]; } },
    { title: "findings", num: true, get: function (r) { return r.f[FC.findings]; } },
    { title: "fails", get: function (r) { return r.fails ? 1 : 0; }, render: function (r) { return r.fails ? "fails" : ""; } }
  ], 7);
  function filterFiles() {
    var text = document.getElementById("files-filter").value.toLowerCase();
    var lang = document.getElementById("files-language").value;
    var failing = document.getElementById("files-failing").checked;
    fileTable.set(files.filter(function (r) {
      return (!text || r.f[FC.path].toLowerCase().indexOf(text) >= 0) && (!lang || r.f[FC.language] === lang) && (!failing || r.fails);
    }));
  }

  // Functions.
  var functions = D.functions.map(function (g) { return { g: g, file: D.files[g[GC.file]], fails: g[GC.fails] }; });
  var functionTable = new Table(document.getElementById("functions-table"), [
    { title: "function", get: function (r) { return r.g[GC.name]; }, render: function (r) { return link(r.g[GC.name], fileHref(r.g[GC.file], r.g[GC.line])); } },
    { title: "path", get: function (r) { return r.file[FC.path]; } },
    { title: "line", num: true, get: function (r) { return r.g[GC.line]; } },
    { title: "complexity", num: true, get: function (r) { return r.g[GC.cc]; } },
    { title: "rank", get: function (r) { return r.g[GC.rank]; } },
    { title: "cognitive", num: true, get: function (r) { return r.g[GC.cognitive]; } },
    { title: "coverage", num: true, get: function (r) { return r.g[GC.coverage]; }, render: function (r) { return pct(r.g[GC.coverage]); } },
    { title: "fails", get: function (r) { return r.fails ? 1 : 0; }, render: function (r) { return r.fails ? "fails" : ""; } }
  ], 3);
  function filterFunctions() {
    var text = document.getElementById("functions-filter").value.toLowerCase();
    var rank = document.getElementById("functions-rank").value;
    var lang = document.getElementById("functions-language").value;
    var failing = document.getElementById("functions-failing").checked;
    functionTable.set(functions.filter(function (r) {
      return (!text || r.g[GC.name].toLowerCase().indexOf(text) >= 0 || r.file[FC.path].toLowerCase().indexOf(text) >= 0)
        && (!rank || r.g[GC.rank] === rank) && (!lang || r.file[FC.language] === lang) && (!failing || r.fails);
    }));
  }
  ["files-filter", "files-language", "files-failing"].forEach(function (id) { document.getElementById(id).addEventListener("input", filterFiles); });
  ["functions-filter", "functions-rank", "functions-language", "functions-failing"].forEach(function (id) { document.getElementById(id).addEventListener("input", filterFunctions); });

  // Clones.
  function fragmentText(fr) { return D.files[fr[0]][FC.path] + ":" + fr[1] + "–" + fr[2]; }
  function drawClones() {
    var box = document.getElementById("clones-list");
    if (box.childNodes.length) return;
    var order = D.clones.map(function (c, i) { return i; });
    order.sort(function (a, b) { return D.clones[b][1] * D.clones[b][2].length - D.clones[a][1] * D.clones[a][2].length; });
    var rows = order.map(function (i) { return { i: i, c: D.clones[i] }; });
    var t = new Table(box, [
      { title: "lines", num: true, get: function (r) { return r.c[1]; } },
      { title: "tokens", num: true, get: function (r) { return r.c[0]; } },
      { title: "copies", num: true, get: function (r) { return r.c[2].length; } },
      { title: "first copy", get: function (r) { return r.c[2].length ? fragmentText(r.c[2][0]) : ""; }, render: function (r) { return link(r.c[2].length ? fragmentText(r.c[2][0]) : "(none)", "#clone=" + r.i); } }
    ], 0);
    t.set(rows);
  }

  // One file: source with coverage, complexity, findings and clones at their lines.
  function drawFile(i, line) {
    var view = document.getElementById("view-file"), f = D.files[i], d = D.details[i] || {};
    view.textContent = "";
    if (!f) { view.appendChild(el("p", null, "No such file in this report.")); return; }
    view.appendChild(el("h1", null, f[FC.path]));
    view.appendChild(el("p", { "class": "totals" }, f[FC.language] + " · " + f[FC.lines] + " lines · " + f[FC.functions] + " functions" +
      (f[FC.coverage] !== null ? " · coverage " + f[FC.coverage] + " %" : "") + (f[FC.mi] !== null ? " · MI " + f[FC.mi] : "")));
    var cov = d.cov || { c: [], m: [], b: [] }, missed = {}, partial = {};
    cov.m.forEach(function (n) { missed[n] = true; });
    cov.b.forEach(function (b) { partial[b[0]] = b; });
    var notes = {}, before = {};
    function add(map, n, node) { (map[n] = map[n] || []).push(node); }
    D.functions.forEach(function (g) {
      if (g[GC.file] !== i) return;
      add(before, g[GC.line], el("div", { "class": "ann" }, "ƒ " + g[GC.name] + " — cyclomatic " + g[GC.cc] + " (" + g[GC.rank] + ")" +
        (g[GC.cognitive] !== null ? " · cognitive " + g[GC.cognitive] : "") + (g[GC.coverage] !== null ? " · coverage " + g[GC.coverage] + " %" : "")));
    });
    (d.fi || []).forEach(function (x) {
      var url = webLink(x[5]);
      add(notes, x[0], el("div", { "class": "ann " + x[1] }, x[2] + " (" + x[4] + ", " + x[1] + "): " + x[3] + " ", url ? el("a", { href: url, rel: "noreferrer noopener" }, "docs") : null));
    });
    (d.err || []).forEach(function (x) { add(notes, x[0], el("div", { "class": "ann high" }, "syntax error at column " + x[1] + ": " + x[2])); });
    var clone = d.cl || [];
    clone.forEach(function (x) {
      var c = D.clones[x[2]], others = c[2].filter(function (fr) { return !(fr[0] === i && fr[1] === x[0]); });
      var node = el("div", { "class": "ann" }, "clone of " + c[1] + " lines (" + c[0] + " tokens): ", link("side by side", "#clone=" + x[2]));
      others.forEach(function (fr) { node.appendChild(document.createTextNode(" · also ")); node.appendChild(link(fragmentText(fr), fileHref(fr[0], fr[1]))); });
      add(before, x[0], node);
    });
    view.appendChild(el("p", { "class": "legend note" }, el("span", null, el("span", { "class": "sw covered" }), "covered"), el("span", null, el("span", { "class": "sw missed" }), "not run"),
      el("span", null, el("span", { "class": "sw partial" }), "branch partly taken"), el("span", null, "▌ in a clone"), D.new_code ? el("span", null, "▐ changed") : null));
    var box = el("div", { "class": "source", id: "source" });
    if (!d.src) {
      view.appendChild(el("p", { "class": "note", id: "no-source" }, "Source not in this page: " + (d.why || "the page embeds files with offenders, findings, missed or changed lines only") + "."));
      Object.keys(before).concat(Object.keys(notes)).forEach(function (n) {
        (before[n] || []).concat(notes[n] || []).forEach(function (node) { box.appendChild(el("div", null, "line " + n + ": ")); box.appendChild(node); });
        delete before[n]; delete notes[n];
      });
      view.appendChild(box);
      return;
    }
    var ch = d.ch || [];
    d.src.forEach(function (text, k) {
      var n = k + 1, cls = "ln";
      if (missed[n]) cls += " missed"; else if (partial[n]) cls += " partial"; else if (inRanges(cov.c, n)) cls += " covered";
      clone.forEach(function (x) { if (x[0] <= n && n <= x[1] && cls.indexOf(" dup") < 0) cls += " dup"; });
      if (inRanges(ch, n)) cls += " changed";
      (before[n] || []).forEach(function (node) { box.appendChild(node); });
      var title = partial[n] ? partial[n][1] + " of " + partial[n][2] + " branches taken" : null;
      box.appendChild(el("div", { "class": cls, id: "L" + n, title: title }, el("span", { "class": "no" }, n), el("span", { "class": "code" }, text)));
      (notes[n] || []).forEach(function (node) { box.appendChild(node); });
    });
    view.appendChild(box);
    if (line) {
      var target = document.getElementById("L" + line);
      if (target) { target.classList.add("target"); target.scrollIntoView({ block: "center" }); }
    }
  }

  // One clone: two copies side by side (the others listed).
  function drawClone(ci) {
    var view = document.getElementById("view-clone"), c = D.clones[ci];
    view.textContent = "";
    if (!c) { view.appendChild(el("p", null, "No such clone in this report.")); return; }
    view.appendChild(el("h1", null, "Clone of " + c[1] + " lines, " + c[0] + " tokens, " + c[2].length + " copies"));
    var list = el("ul");
    c[2].forEach(function (fr) { list.appendChild(el("li", null, link(fragmentText(fr), fileHref(fr[0], fr[1])))); });
    view.appendChild(list);
    var side = el("div", { "class": "side" });
    c[2].slice(0, 2).forEach(function (fr) {
      var d = D.details[fr[0]] || {}, box = el("div", { "class": "source" });
      var col = el("div", null, el("h2", null, fragmentText(fr)));
      if (!d.src) col.appendChild(el("p", { "class": "note" }, "Source of this file is not in this page."));
      else for (var n = fr[1]; n <= fr[2] && n <= d.src.length; n++) box.appendChild(el("div", { "class": "ln dup" }, el("span", { "class": "no" }, n), el("span", { "class": "code" }, d.src[n - 1])));
      col.appendChild(box);
      side.appendChild(col);
    });
    view.appendChild(side);
  }

  var drawn = {};
  function route() {
    var hash = location.hash.replace(/^#/, ""), params = {};
    hash.split("&").forEach(function (kv) { var p = kv.split("="); if (p.length === 2) params[p[0]] = p[1]; });
    var name = params.file !== undefined ? "file" : params.clone !== undefined ? "clone" : (["files", "functions", "clones"].indexOf(hash) >= 0 ? hash : "overview");
    ["overview", "files", "functions", "clones", "file", "clone"].forEach(function (v) { document.getElementById("view-" + v).hidden = v !== name; });
    if (name === "files" && !drawn.files) { drawn.files = true; filterFiles(); }
    if (name === "functions" && !drawn.functions) { drawn.functions = true; filterFunctions(); }
    if (name === "clones") drawClones();
    if (name === "file") drawFile(parseInt(params.file, 10), parseInt(params.line, 10) || 0);
    if (name === "clone") drawClone(parseInt(params.clone, 10));
    if (name !== "file") window.scrollTo(0, 0);
  }
  window.addEventListener("hashchange", route);
  route();
})();
