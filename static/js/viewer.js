// The in-page PDF viewer (PDF.js, vendored under static/vendor/) and following the
// presenter's page (画面同期). A module: loaded only by pages that show a PDF.
//
// The viewer shows one page at a time, fitted to the width of its box (a tablet in either
// orientation), with PDF.js's text layer over the canvas so screen readers and search in
// the page find the text. The file is read in byte ranges (no automatic fetch of the rest):
// the first page of a 50 MB PDF needs only the bytes it uses.
import * as pdfjs from "/static/vendor/pdfjs-4.10.38.min.mjs";

pdfjs.GlobalWorkerOptions.workerSrc = "/static/vendor/pdfjs-4.10.38.worker.min.mjs";
const CMAPS = "/static/vendor/pdfjs-4.10.38-cmaps/";
const CHUNK = 64 * 1024;
const ZOOM_STEP = 1.25;
const ZOOM_MIN = 0.5;
const ZOOM_MAX = 4;

// The file in byte ranges, and only those: PDF.js reads the end of the file (its cross-
// reference table) and then the objects a page needs. (Given a URL instead, PDF.js first
// starts a whole-file request and cancels it once it sees ranges are supported, after
// megabytes have already crossed a fast network.)
class RangeTransport extends pdfjs.PDFDataRangeTransport {
  constructor(src, length) {
    super(length, null);
    this.src = src;
    this.failed = null;
  }

  requestDataRange(begin, end) {
    fetch(this.src, { headers: { Range: `bytes=${begin}-${end - 1}` }, credentials: "same-origin" })
      .then((response) => {
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        // 206: the range asked for; 200: a server without ranges sent it all.
        return response.arrayBuffer().then((bytes) => [response.status === 206 ? begin : 0, bytes]);
      })
      .then(([at, bytes]) => this.onDataRange(at, new Uint8Array(bytes)))
      .catch((error) => { if (this.failed) this.failed(error); });
  }
}

class Viewer {
  constructor(root) {
    this.root = root;
    this.sheet = root.querySelector(".pdf-sheet");
    this.pageBox = root.querySelector(".pdf-page");
    this.canvas = root.querySelector("canvas");
    this.text = root.querySelector(".textLayer");
    this.label = root.querySelector(".page-label");
    this.src = null;
    this.doc = null;
    this.loadingTask = null;
    this.opening = null;
    this.page = 0;
    this.zoom = 1; // relative to fit-to-width
    this.token = 0;
    this.task = null;
    this.width = 0;
    this.height = 0;
    this.bind();
  }

  bind() {
    this.root.addEventListener("click", (event) => {
      const button = event.target.closest("[data-viewer]");
      if (!button || !this.root.contains(button)) return;
      const what = button.getAttribute("data-viewer");
      if (what === "prev") this.turn(this.page - 1);
      else if (what === "next") this.turn(this.page + 1);
      else if (what === "zoom-in") this.setZoom(this.zoom * ZOOM_STEP);
      else if (what === "zoom-out") this.setZoom(this.zoom / ZOOM_STEP);
      else if (what === "fit") this.setZoom(1);
    });
    this.sheet.addEventListener("keydown", (event) => {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      const keys = { ArrowRight: 1, PageDown: 1, ArrowLeft: -1, PageUp: -1 };
      if (event.key in keys) {
        event.preventDefault();
        this.turn(this.page + keys[event.key]);
      } else if (event.key === "Home" || event.key === "End") {
        event.preventDefault();
        this.turn(event.key === "Home" ? 1 : this.count());
      } else if (event.key === "+" || event.key === "-" || event.key === "0") {
        event.preventDefault();
        this.setZoom(event.key === "0" ? 1 : event.key === "+" ? this.zoom * ZOOM_STEP : this.zoom / ZOOM_STEP);
      }
    });
    // Pinch to zoom (two fingers), swipe to turn (one finger, when not zoomed in).
    const touches = new Map();
    let pinchFrom = 0, zoomFrom = 1, swipeFrom = null;
    const spread = () => {
      const points = [...touches.values()];
      return Math.hypot(points[0].x - points[1].x, points[0].y - points[1].y);
    };
    this.sheet.addEventListener("pointerdown", (event) => {
      if (event.pointerType !== "touch") return;
      touches.set(event.pointerId, { x: event.clientX, y: event.clientY });
      if (touches.size === 2) { pinchFrom = spread(); zoomFrom = this.zoom; swipeFrom = null; }
      else if (touches.size === 1) swipeFrom = { x: event.clientX, y: event.clientY };
    });
    this.sheet.addEventListener("pointermove", (event) => {
      if (!touches.has(event.pointerId)) return;
      touches.set(event.pointerId, { x: event.clientX, y: event.clientY });
      if (touches.size === 2 && pinchFrom > 0) {
        this.pageBox.style.transform = `scale(${spread() / pinchFrom})`;
      }
    });
    const lift = (event) => {
      if (!touches.has(event.pointerId)) return;
      if (touches.size === 2 && pinchFrom > 0) {
        const factor = spread() / pinchFrom;
        pinchFrom = 0;
        this.pageBox.style.transform = "";
        this.setZoom(zoomFrom * factor);
      } else if (touches.size === 1 && swipeFrom && this.zoom <= 1) {
        const dx = event.clientX - swipeFrom.x, dy = event.clientY - swipeFrom.y;
        if (Math.abs(dx) > 60 && Math.abs(dx) > 2 * Math.abs(dy)) this.turn(this.page + (dx < 0 ? 1 : -1));
      }
      touches.delete(event.pointerId);
      if (touches.size === 0) swipeFrom = null;
    };
    this.sheet.addEventListener("pointerup", lift);
    this.sheet.addEventListener("pointercancel", lift);
    // A trackpad's pinch arrives as a wheel event with the control key.
    this.sheet.addEventListener("wheel", (event) => {
      if (!event.ctrlKey) return;
      event.preventDefault();
      this.setZoom(this.zoom * (event.deltaY < 0 ? ZOOM_STEP : 1 / ZOOM_STEP));
    }, { passive: false });
    new ResizeObserver(() => {
      const width = this.sheet.clientWidth, height = this.sheet.clientHeight;
      const fitsHeight = this.root.hasAttribute("data-fit-page");
      const moved = Math.abs(width - this.width) > 1 || (fitsHeight && Math.abs(height - this.height) > 1);
      if (this.doc && width && moved) this.render();
    }).observe(this.sheet);
  }

  count() {
    return this.doc ? this.doc.numPages : 0;
  }

  // The reader turned the page or zoomed: tell whoever listens (following stops).
  turn(page) {
    if (!this.doc) return;
    page = Math.min(Math.max(1, page), this.count());
    if (page === this.page) return;
    this.show(page);
    this.tell("page");
  }

  setZoom(zoom) {
    zoom = Math.min(Math.max(ZOOM_MIN, zoom), ZOOM_MAX);
    if (Math.abs(zoom - this.zoom) < 0.01) return;
    this.zoom = zoom;
    this.render();
    this.tell("zoom");
  }

  tell(kind) {
    this.root.dispatchEvent(new CustomEvent("viewer:user", { bubbles: true, detail: { kind, page: this.page } }));
  }

  async load(src, page, size) {
    const token = ++this.token;
    if (src !== this.src) {
      if (this.loadingTask) this.loadingTask.destroy(); // the document, or its loading
      this.doc = null;
      this.src = src;
      this.root.setAttribute("data-state", "loading");
      const length = parseInt(size, 10);
      const source = length > 0 ? { range: new RangeTransport(src, length) } : { url: src };
      const loading = this.loadingTask = pdfjs.getDocument({
        ...source,
        rangeChunkSize: CHUNK,
        disableAutoFetch: true,
        disableStream: true,
        isEvalSupported: false,
        cMapUrl: CMAPS,
        cMapPacked: true,
      });
      if (source.range) source.range.failed = () => loading.destroy();
      // Later calls for the same file (a push while it loads) wait for the same document.
      this.opening = loading.promise.catch(() => null);
    }
    const doc = await this.opening;
    if (src !== this.src) return; // another file was asked for meanwhile
    if (!doc) {
      this.root.setAttribute("data-state", "error");
      return;
    }
    this.doc = doc;
    if (token !== this.token) return; // a newer page was asked for: it renders
    this.page = Math.min(Math.max(1, page || 1), this.count());
    await this.render();
  }

  show(page) {
    this.page = page;
    return this.render();
  }

  async render() {
    if (!this.doc) return;
    const token = ++this.token;
    const number = this.page;
    const page = await this.doc.getPage(number);
    if (token !== this.token) return;
    const width = this.sheet.clientWidth || 600;
    this.width = width;
    this.height = this.sheet.clientHeight;
    const base = page.getViewport({ scale: 1 });
    let fit = width / base.width;
    // The projector shows the whole page: fitted to the screen's height as well.
    if (this.root.hasAttribute("data-fit-page") && this.sheet.clientHeight) {
      fit = Math.min(fit, this.sheet.clientHeight / base.height);
    }
    const viewport = page.getViewport({ scale: fit * this.zoom });
    const ratio = window.devicePixelRatio || 1;
    if (this.task) this.task.cancel();
    const canvas = document.createElement("canvas");
    canvas.width = Math.floor(viewport.width * ratio);
    canvas.height = Math.floor(viewport.height * ratio);
    canvas.setAttribute("aria-hidden", "true");
    const task = this.task = page.render({
      canvasContext: canvas.getContext("2d"),
      viewport,
      transform: ratio !== 1 ? [ratio, 0, 0, ratio, 0, 0] : null,
    });
    try {
      await task.promise;
    } catch (error) {
      return; // cancelled by a newer render
    }
    if (token !== this.token) return;
    this.task = null;
    const text = document.createElement("div");
    text.className = "textLayer";
    const layer = new pdfjs.TextLayer({ textContentSource: page.streamTextContent(), container: text, viewport });
    await layer.render();
    if (token !== this.token) return;
    this.pageBox.style.setProperty("--scale-factor", String(viewport.scale));
    this.pageBox.style.width = `${viewport.width}px`;
    this.pageBox.style.height = `${viewport.height}px`;
    canvas.style.width = `${viewport.width}px`;
    canvas.style.height = `${viewport.height}px`;
    this.canvas.replaceWith(canvas);
    this.canvas = canvas;
    this.text.replaceWith(text);
    this.text = text;
    if (this.label) this.label.textContent = `${number} / ${this.count()}`;
    this.root.setAttribute("data-page", String(number));
    this.root.setAttribute("data-pages", String(this.count()));
    this.root.setAttribute("data-state", "shown");
    for (const button of this.root.querySelectorAll("[data-viewer=prev]")) button.disabled = number <= 1;
    for (const button of this.root.querySelectorAll("[data-viewer=next]")) button.disabled = number >= this.count();
    this.root.dispatchEvent(new CustomEvent("viewer:shown", { bubbles: true, detail: { page: number } }));
  }
}

// The reader's private note on the page shown: read from and saved to the board for this
// person alone (note.write is neither logged nor pushed). Loaded once per page of the room.
const myNotes = new Map(); // meeting id -> Promise of Map "material:page" -> note
function notesOf(meetingId) {
  if (!myNotes.has(meetingId)) {
    myNotes.set(meetingId, fetch(`/api/meetings/${meetingId}/notes`, { credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : { notes: [] }))
      .then((data) => new Map(data.notes.map((note) => [`${note.material_id}:${note.page}`, note])))
      .catch(() => new Map()));
  }
  return myNotes.get(meetingId);
}

function attachNotes(viewer) {
  const root = viewer.root;
  const form = root.querySelector("[data-page-note]");
  if (!form) return;
  const field = form.querySelector("textarea");
  const changed = form.querySelector(".note-changed");
  const status = form.querySelector(".note-status");
  const meetingId = root.getAttribute("data-meeting-id");
  const key = () => `${root.getAttribute("data-material-id")}:${viewer.page}`;
  root.addEventListener("viewer:shown", async () => {
    const notes = await notesOf(meetingId);
    const note = notes.get(key());
    form.hidden = false;
    if (document.activeElement !== field) field.value = note ? note.text : "";
    const versionId = root.getAttribute("data-version-id");
    changed.hidden = !(note && note.page_may_have_changed && String(note.version_id) !== versionId);
    status.textContent = "";
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const page = viewer.page;
    const where = key();
    const text = field.value.trim();
    const response = await fetch(`/api/meetings/${meetingId}/actions/note.write`, {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ version_id: Number(root.getAttribute("data-version-id")), page, text }),
    }).catch(() => null);
    if (!response || !response.ok) {
      status.textContent = form.getAttribute("data-failed");
      return;
    }
    const notes = await notesOf(meetingId);
    if (text) notes.set(where, { text, version_id: Number(root.getAttribute("data-version-id")), page_may_have_changed: false });
    else notes.delete(where);
    changed.hidden = true;
    status.textContent = form.getAttribute(text ? "data-saved" : "data-removed");
  });
}

// The material page: a PDF shown in the page, from its first page (or #page=N).
for (const root of document.querySelectorAll("[data-pdf-viewer][data-src]")) {
  const viewer = new Viewer(root);
  attachNotes(viewer);
  // An opinion written about "this page" points at the page shown.
  root.addEventListener("viewer:shown", (event) => {
    for (const field of document.querySelectorAll("[data-current-page]")) field.value = String(event.detail.page);
    for (const label of document.querySelectorAll("[data-current-page-label]")) label.textContent = `(p.${event.detail.page})`;
  });
  const asked = /page=(\d+)/.exec(location.hash);
  viewer.load(root.getAttribute("data-src"), asked ? parseInt(asked[1], 10) : 1, root.getAttribute("data-size"));
}

// The live room: the presented page (#presenting, pushed) on the stage.
const stage = document.getElementById("stage");
if (stage) follow(stage);

function follow(stage) {
  const viewer = new Viewer(stage.querySelector("[data-pdf-viewer]"));
  attachNotes(viewer);
  const banner = stage.querySelector(".follow-banner");
  const me = document.body.getAttribute("data-person-id");
  const projector = document.body.getAttribute("data-view") === "projector";
  const meetingId = stage.getAttribute("data-meeting-id");
  let following = true;
  let shown = null; // the presented "src#page" last applied
  // The presenter's turns from this device: how many are on their way, and the seq the
  // last one was given (a push older than it is an echo of an earlier turn).
  let turning = 0;
  let sentSeq = 0;

  const presented = () => {
    const element = document.getElementById("presenting");
    if (!element || !element.getAttribute("data-src")) return null;
    return {
      src: element.getAttribute("data-src"),
      seq: parseInt(element.getAttribute("data-seq"), 10) || 0,
      size: element.getAttribute("data-size"),
      versionId: element.getAttribute("data-version-id"),
      materialId: element.getAttribute("data-material-id"),
      page: parseInt(element.getAttribute("data-page"), 10) || 1,
      presenter: element.getAttribute("data-presenter-id"),
    };
  };

  const setFollowing = (value) => {
    following = value || projector;
    stage.setAttribute("data-following", following ? "true" : "false");
    banner.hidden = following;
  };

  const apply = () => {
    const now = presented();
    stage.hidden = !now;
    if (!now) {
      shown = null;
      setFollowing(true);
      return;
    }
    viewer.root.setAttribute("data-material-id", now.materialId);
    viewer.root.setAttribute("data-version-id", now.versionId);
    const key = now.src + "#" + now.page;
    // The presenter's own device turns its pages itself: the echo of an earlier turn,
    // arriving while later ones are on their way, must not take it back.
    const echo = turning > 0 || now.seq < sentSeq;
    if (now.presenter === me && !projector && echo) return;
    if (following && key !== shown) {
      shown = key;
      viewer.load(now.src, now.page, now.size);
    } else if (!following && viewer.src !== now.src) {
      // Another material is presented: a detached reader still sees which one.
      viewer.load(now.src, viewer.page || now.page, now.size);
    }
  };

  stage.addEventListener("viewer:user", (event) => {
    const now = presented();
    if (!now) return;
    if (now.presenter === me && event.detail.kind === "page") {
      // The presenter turns the page: the room follows.
      turning += 1;
      fetch(`/api/meetings/${meetingId}/actions/material.present`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ version_id: Number(now.versionId), page: event.detail.page }),
      })
        .then((response) => response.json())
        .then((result) => { if (result.seq) sentSeq = Math.max(sentSeq, result.seq); })
        .catch(() => {})
        .finally(() => { turning -= 1; apply(); });
      shown = now.src + "#" + event.detail.page;
      return;
    }
    if (projector || now.presenter === me) return;
    setFollowing(false);
  });
  banner.querySelector("button").addEventListener("click", () => {
    setFollowing(true);
    shown = null;
    apply();
    viewer.sheet.focus({ preventScroll: true });
  });
  // A device that joins or reconnects lands on the presented page.
  document.addEventListener("htmx:ws:after:connection", () => { setFollowing(true); shown = null; apply(); });
  document.addEventListener("htmx:ws:after:message:incoming", apply);
  document.addEventListener("htmx:after:swap", apply);
  setFollowing(true);
  apply();
}
