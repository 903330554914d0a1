// The calendar island (FullCalendar), loaded only on pages with <div data-calendar="person|act">.
// It draws what the JSON API answers and sends what the person does back to the same API; every
// rule (merging blocks, who is free, the green zone) is decided on the server.
import { Calendar } from "@fullcalendar/core";
import dayGridPlugin from "@fullcalendar/daygrid";
import timeGridPlugin from "@fullcalendar/timegrid";
import interactionPlugin from "@fullcalendar/interaction";
import listPlugin from "@fullcalendar/list";
// Dates as the product writes them ("Sat 26 Dec", "26 December 2026"), not month-first.
import enGbLocale from "@fullcalendar/core/locales/en-gb";
// Real IANA time zones (the person's or the act's) instead of FullCalendar's UTC coercion.
import luxonPlugin from "@fullcalendar/luxon3";
import "./calendar.css";

const COLOURS = {
  free: "#198754", busy: "#dc3545", commitment: "#0d6efd", imported: "#6c757d",
  zone: "#75b798", oneMissing: "#ffda6a", event: "#6610f2", cancelled: "#adb5bd",
  // Backgrounds are see-through colours, so the labels on them stay fully dark and readable.
  zoneBackground: "rgba(117, 183, 152, 0.4)", oneMissingBackground: "rgba(255, 218, 106, 0.45)",
};

function csrf() {
  const meta = document.querySelector("meta[name=csrf-token]");
  return meta ? meta.content : "";
}

async function api(method, url, body) {
  const response = await fetch(url, {
    method, credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(), Accept: "application/json" },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (response.status === 204) return null;
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const fields = [...new Set((data.errors || []).map((e) => e.message))].join(" ");  // one sentence once, even for two fields
    throw new Error(fields || data.detail || `Request failed (${response.status})`);
  }
  return data;
}

function isPhone() {
  return window.matchMedia("(max-width: 576px)").matches;
}

function timeLabel(date, timeZone) {
  return date ? date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", hour12: false, timeZone }) : "";
}

// What a person reads when they point at an event (or long-press it): the whole title, the times and
// what kind of thing it is, so a title cut short in a narrow day cell is never the only way to read it.
function describeEvent(event, timeZone) {
  const p = event.extendedProps || {};
  const when = event.allDay ? "" : `${timeLabel(event.start, timeZone)}${event.end ? `–${timeLabel(event.end, timeZone)}` : ""}`;
  return [event.title, when, p.detail].filter(Boolean).join(" · ");
}

// A booking in a month cell: "20:00 · 3rd hold" on the first line, then the show's name on up to two
// lines (calendar.css). Everything else, and every other view, is drawn as FullCalendar draws it.
function monthContent(arg) {
  const p = arg.event.extendedProps || {};
  if (!p.name || !arg.view.type.startsWith("dayGrid") || arg.event.display === "background") return true;
  const part = (className, text) => {
    const node = document.createElement("div");
    node.className = className;
    node.textContent = text;
    return node;
  };
  const frame = part("fc-event-main-frame", "");
  const titleBox = part("fc-event-title-container", "");
  titleBox.append(part("fc-event-title", p.name));
  frame.append(part("fc-event-time", [arg.timeText, p.stage].filter(Boolean).join(" · ")), titleBox);
  return { domNodes: [frame] };
}

function baseOptions(el) {
  const timeZone = el.dataset.timeZone && el.dataset.timeZone !== "local" ? el.dataset.timeZone : undefined;
  return {
    plugins: [dayGridPlugin, timeGridPlugin, interactionPlugin, listPlugin, luxonPlugin],
    locale: enGbLocale,
    views: { timeGrid: { dayHeaderFormat: { weekday: "short", day: "numeric", month: "short" } } },
    initialView: isPhone() ? "listMonth" : (el.dataset.initialView || "dayGridMonth"),
    timeZone: el.dataset.timeZone || "local",
    firstDay: 1,
    height: "auto",
    nowIndicator: true,
    scrollTime: "08:00:00",
    headerToolbar: isPhone()
      ? { left: "prev,next", center: "title", right: "listMonth,timeGridDay" }
      : { left: "prev,next today", center: "title", right: "dayGridMonth,timeGridWeek,listMonth" },
    buttonText: { today: "Today", month: "Month", week: "Week", day: "Day", list: "List" },
    eventTimeFormat: { hour: "2-digit", minute: "2-digit", hour12: false },
    slotLabelFormat: { hour: "2-digit", minute: "2-digit", hour12: false },
    noEventsText: "Nothing in this month.",
    // Month cells: events as blocks whose title may wrap to two lines (see calendar.css); a busy day
    // shows "+2 more", which opens the whole day.
    eventDisplay: "block",
    dayMaxEvents: 3,
    moreLinkText: (n) => `+${n} more`,
    eventContent: monthContent,
    eventDidMount: (info) => {
      const text = describeEvent(info.event, timeZone);
      if (text) info.el.setAttribute("title", text);
      if (info.event.display !== "background" && !info.el.getAttribute("aria-label")) info.el.setAttribute("aria-label", text);
    },
  };
}

// A night out is one evening: a day runs from 06:00 to 06:00 the next morning, so a pattern from 17:00
// to 01:00 is one block in its own day's column and one row in the list, never two pieces split at
// midnight (FullCalendar splits at 00:00 unless told where the next day begins).
// The list keeps one row too; its time cell shows the server's words for a pattern ("17:00–01:00 (next
// day)"), as FullCalendar would otherwise end the row at midnight.
const NIGHT_HOURS = 6;

function nightTitle(info) {
  // The week's columns reach 06:00 after its last day: the title still ends on that last day.
  const fmt = (marker, withYear) => marker.toLocaleDateString("en-GB",
    { day: "numeric", month: "short", timeZone: "UTC", ...(withYear ? { year: "numeric" } : {}) });
  const last = info.end ? new Date(info.end.marker.getTime() - NIGHT_HOURS * 3600000 - 1) : info.start.marker;
  const first = info.start.marker;
  if (first.toISOString().slice(0, 10) === last.toISOString().slice(0, 10)) {
    return first.toLocaleDateString("en-GB", { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
  }
  return `${fmt(first, first.getUTCFullYear() !== last.getUTCFullYear())} – ${fmt(last, true)}`;
}

function night(options) {
  return {
    nextDayThreshold: `0${NIGHT_HOURS}:00:00`,
    slotMinTime: `0${NIGHT_HOURS}:00:00`,
    slotMaxTime: `${24 + NIGHT_HOURS}:00:00`,
    scrollTime: `0${NIGHT_HOURS}:00:00`,
    views: { ...options.views, timeGrid: { ...(options.views || {}).timeGrid, titleFormat: nightTitle } },
    eventDidMount: (info) => {
      options.eventDidMount(info);
      const when = (info.event.extendedProps || {}).when;
      const cell = info.view.type.startsWith("list") && when && info.el.querySelector(".fc-list-event-time");
      if (cell) cell.textContent = when;
    },
  };
}

function showError(el, message) {
  const box = document.querySelector(el.dataset.errorBox || "#calendar-error");
  if (!box) return;
  box.textContent = message || "";
  box.classList.toggle("d-none", !message);
}

// --- a person's own availability -------------------------------------------------------------------

function personCalendar(el) {
  const modalEl = document.getElementById("availability-modal");
  const modal = modalEl ? new window.bootstrap.Modal(modalEl) : null;
  const form = modalEl && modalEl.querySelector("form");
  let calendar;

  function openModal({ start, end, allDay, block }) {
    if (!form) return;
    form.reset();
    form.dataset.blockId = block ? block.block_id : "";
    form.dataset.start = start.toISOString();
    form.dataset.end = end.toISOString();
    form.dataset.allDay = allDay ? "1" : "";
    form.querySelector("[data-role=span]").textContent = describe(start, end, allDay);
    if (block) {
      form.querySelector(`input[name=state][value=${block.state}]`).checked = true;
      form.label.value = block.title === "Free" || block.title === "Busy" ? "" : block.title;
    }
    form.querySelector("[data-role=delete]").classList.toggle("d-none", !block);
    modalEl.querySelector("[data-role=error]").classList.add("d-none");
    modal.show();
  }

  function describe(start, end, allDay) {
    const opts = allDay ? { dateStyle: "medium", timeZone: el.dataset.timeZone }
      : { dateStyle: "medium", timeStyle: "short", timeZone: el.dataset.timeZone };
    const last = allDay ? new Date(end.getTime() - 86400000) : end;
    return `${start.toLocaleString(undefined, opts)} – ${last.toLocaleString(undefined, opts)}`;
  }

  async function submit(action) {
    const errorBox = modalEl.querySelector("[data-role=error]");
    const blockId = form.dataset.blockId;
    const span = { starts_at: form.dataset.start, ends_at: form.dataset.end };
    try {
      if (action === "delete") {
        await api("DELETE", `/api/v1/me/availability/blocks/${blockId}`);
      } else if (action === "clear") {
        await api("POST", "/api/v1/me/availability/clear", span);
      } else {
        const state = form.querySelector("input[name=state]:checked").value;
        const body = { state, ...span, all_day: !!form.dataset.allDay, label: form.label.value,
          time_zone: el.dataset.timeZone };
        if (blockId) await api("PATCH", `/api/v1/me/availability/blocks/${blockId}`, body);
        else await api("POST", "/api/v1/me/availability/blocks", body);
      }
      modal.hide();
      calendar.refetchEvents();
      document.body.dispatchEvent(new Event("availability-changed"));
    } catch (err) {
      errorBox.textContent = err.message;
      errorBox.classList.remove("d-none");
    }
  }

  if (form) {
    form.addEventListener("submit", (e) => { e.preventDefault(); submit("save"); });
    form.querySelector("[data-role=delete]").addEventListener("click", () => submit("delete"));
    form.querySelector("[data-role=clear]").addEventListener("click", () => submit("clear"));
  }

  const base = baseOptions(el);
  calendar = new Calendar(el, {
    ...base,
    ...night(base),
    selectable: true,
    selectMirror: true,
    longPressDelay: 300,
    select: (info) => { openModal({ start: info.start, end: info.end, allDay: info.allDay }); calendar.unselect(); },
    eventClick: (info) => {
      const item = info.event.extendedProps;
      if (item.kind === "block") {
        openModal({ start: info.event.start, end: info.event.end, allDay: info.event.allDay,
          block: { ...item, title: info.event.title } });
      } else if (item.kind === "pattern") {
        const row = document.getElementById(`rule-${item.rule_id}`);
        if (row) { row.scrollIntoView({ behavior: "smooth", block: "center" }); row.classList.add("table-warning"); }
      }
    },
    events: (info, success, failure) => {
      const q = new URLSearchParams({ start: info.start.toISOString(), end: info.end.toISOString() });
      api("GET", `/api/v1/me/calendar?${q}`).then((items) => {
        showError(el, "");
        success(items.map((item) => {
          const colour = item.kind === "commitment" ? COLOURS.commitment
            : item.kind === "imported" ? COLOURS.imported : COLOURS[item.state];
          const allDay = item.kind === "block" && item.all_day;  // whole local days: the ISO date prefix
          return {
            id: item.id, title: item.title, allDay,
            start: allDay ? item.start.slice(0, 10) : item.start, end: allDay ? item.end.slice(0, 10) : item.end,
            backgroundColor: colour, borderColor: colour,
            display: item.kind === "pattern" ? "block" : "auto",
            classNames: [`bl-${item.kind}`, `bl-${item.state}`],
            extendedProps: item,
          };
        }));
      }).catch((err) => { showError(el, err.message); failure(err); });
    },
  });
  calendar.render();
}

// --- bookings on a calendar (a workspace's pipeline, an act's shows) -------------------------------------

const STAGE_COLOURS = { hold: "#ffc107", offer: "#0d6efd", confirmed: "#146c43", completed: "#6c757d" };
const STAGE_WORDS = { hold: "Hold", offer: "Offer out", confirmed: "Confirmed show", completed: "Played" };
const ORDINALS = { 1: "1st", 2: "2nd", 3: "3rd" };

function bookingsQuery(el, info) {
  const q = new URLSearchParams({ workspace_id: el.dataset.workspaceId, start: info.start.toISOString(),
    end: info.end.toISOString(), page_size: 200 });
  Object.keys(STAGE_COLOURS).forEach((s) => q.append("status", s));
  return q;
}

function bookingEvent(b, url) {
  const rank = b.hold_rank ? `${ORDINALS[b.hold_rank] || `${b.hold_rank}th`} hold · ` : "";
  // An offer on a lower hold keeps its rank in sight ("Offer · 2nd hold · …"): the 1st hold still comes first.
  const prefix = b.status === "hold" ? rank : b.status === "offer" ? `Offer · ${b.hold_rank > 1 ? rank : ""}` : "";
  const where = b.venue ? b.venue.name : b.location;
  return {
    id: `booking-${b.id}`, start: b.starts_at, end: b.ends_at, url: `${url}${b.id}/`,
    title: `${prefix}${b.title}`, classNames: ["bl-booking", `bl-stage-${b.status}`],
    backgroundColor: STAGE_COLOURS[b.status], borderColor: STAGE_COLOURS[b.status],
    textColor: b.status === "hold" ? "#212529" : "#fff",
    // In a month cell the stage words join the time on the first line, so both title lines are the
    // show's own name (``monthContent``); the list and the tooltip keep the whole title.
    extendedProps: { detail: [STAGE_WORDS[b.status], where].filter(Boolean).join(" · "),
      name: b.title, stage: prefix.replace(/ · $/, "") },
  };
}

// --- an act's green zone, its events and its shows ------------------------------------------------------

function firstName(name) {
  return (name || "").split(" ")[0];
}

function actCalendar(el) {
  const controls = document.querySelector(el.dataset.controls || "#zone-controls");
  const workspaceId = el.dataset.workspaceId;
  let calendar;
  const options = baseOptions(el);
  let viewType = options.initialView;
  // Green time is drawn differently per kind of view: rows in a list, whole coloured days in the month,
  // the hours themselves in a week or a day. ``drawnFor`` is the kind the events were fetched for.
  const kindOf = (type) => (type.startsWith("list") ? "list" : type.startsWith("dayGrid") ? "month" : "time");
  let drawnFor = null;

  function zoneQuery(info) {
    const q = new URLSearchParams({ start: info.startStr.slice(0, 10), end: new Date(info.end.getTime() - 1).toISOString().slice(0, 10) });
    if (controls) {
      new FormData(controls).forEach((value, key) => { if (value !== "") q.set(key, value); });
      if (!controls.querySelector("[name=include_optional]")?.checked) q.delete("include_optional");
    }
    return q;
  }

  // A click on a green (or all-but-one) day opens what the act can do with it, as the server says
  // (the same actions as the list of green dates): ask a venue, pitch it, hold it, share it.
  let coloured = new Set();
  const modalEl = document.getElementById("green-date-modal");
  const modal = modalEl && el.dataset.datesUrl ? new window.bootstrap.Modal(modalEl) : null;

  async function openDate(date) {
    if (!modal || !coloured.has(date) || (el.dataset.today && date < el.dataset.today)) return;  // past days: nothing to do
    const body = modalEl.querySelector("[data-role=body]");
    const title = modalEl.querySelector(".modal-title");
    title.textContent = "…";
    body.innerHTML = '<div class="spinner-border spinner-border-sm" role="status"><span class="visually-hidden">Loading…</span></div>';
    modal.show();
    try {
      const response = await fetch(`${el.dataset.datesUrl}${date}/`, { credentials: "same-origin", headers: { "HX-Request": "true" } });
      if (!response.ok) throw new Error(`Could not open this date (${response.status}).`);
      body.innerHTML = await response.text();
      const detail = body.querySelector("[data-title]");  // the server names the day in the page's words
      if (detail) title.textContent = detail.dataset.title;
    } catch (err) { body.textContent = err.message; }
  }

  function zoneEvents(zone, kind) {
    const out = [];
    if (kind === "list") {
      // A list has no background: each green span is a row of its own.
      zone.all_free.forEach((s, i) => out.push({ id: `zone-${i}`, start: s.starts_at, end: s.ends_at, title: "Everyone free",
        backgroundColor: COLOURS.zone, borderColor: COLOURS.zone, classNames: ["bl-zone-item"] }));
      return out;
    }
    // Timed spans colour the week view; whole days colour the month view (which shows only all-day
    // background events). The API gives times in the act's zone, so an ISO date prefix is its local date.
    const greenDays = new Set(zone.all_free.map((s) => s.starts_at.slice(0, 10)));
    const oneMissing = new Map();
    zone.all_but_one.forEach((s) => {
      const d = s.starts_at.slice(0, 10);
      if (!greenDays.has(d)) oneMissing.set(d, [...(oneMissing.get(d) || []), s.missing.name]);
    });
    if (kind === "time") {
      zone.all_free.forEach((s, i) => out.push({ id: `zone-${i}`, start: s.starts_at, end: s.ends_at, display: "background",
        backgroundColor: COLOURS.zoneBackground, classNames: ["bl-zone"], title: "Everyone free" }));
      zone.all_but_one.forEach((s, i) => out.push({ id: `one-${i}`, start: s.starts_at, end: s.ends_at, display: "background",
        backgroundColor: COLOURS.oneMissingBackground, classNames: ["bl-one-missing"], title: `All but ${s.missing.name}` }));
      return out;
    }
    // Month cells carry a short label at their foot (never over the day number); the full words are
    // the label's tooltip.
    greenDays.forEach((d) => out.push({ start: d, allDay: true, display: "background", backgroundColor: COLOURS.zoneBackground,
      classNames: ["bl-zone-day"], title: "All free", extendedProps: { detail: "Everyone in the line-up is free" } }));
    oneMissing.forEach((names, d) => {
      const unique = [...new Set(names)];
      const short = unique.length === 1 ? `All but ${firstName(unique[0])}` : `All but one (${unique.length})`;
      out.push({ start: d, allDay: true, display: "background", backgroundColor: COLOURS.oneMissingBackground,
        classNames: ["bl-one-missing-day"], title: short,
        extendedProps: { detail: `Everyone but ${unique.join(" or ")}` } });
    });
    return out;
  }

  calendar = new Calendar(el, {
    ...options,
    ...night(options),
    dateClick: (info) => openDate(info.dateStr.slice(0, 10)),
    // On a phone the calendar is a list: a green evening's row opens the same actions as a green day.
    eventClick: (info) => {
      if (!info.event.classNames.includes("bl-zone-item")) return;
      info.jsEvent.preventDefault();
      openDate(info.event.startStr.slice(0, 10));
    },
    datesSet: (info) => {
      viewType = info.view.type;
      if (drawnFor !== null && drawnFor !== kindOf(viewType)) calendar.refetchEvents();
    },
    events: async (info, success, failure) => {
      const kind = kindOf(viewType);
      try {
        const eventsQuery = new URLSearchParams({ start: info.start.toISOString(), end: info.end.toISOString(), page_size: 200 });
        const [zone, events, bookings] = await Promise.all([
          api("GET", `/api/v1/acts/${workspaceId}/green-zone?${zoneQuery(info)}`),
          api("GET", `/api/v1/acts/${workspaceId}/events?${eventsQuery}`),
          el.dataset.bookingUrl ? api("GET", `/api/v1/bookings?${bookingsQuery(el, info)}`) : { items: [] },
        ]);
        showError(el, "");
        drawnFor = kind;
        const out = zoneEvents(zone, kind);
        coloured = new Set([...zone.all_free, ...zone.all_but_one].map((s) => s.starts_at.slice(0, 10)));
        (events.items || []).forEach((e) => out.push({ id: `event-${e.id}`, title: e.status === "cancelled" ? `✕ ${e.title}` : e.title,
          start: e.starts_at, end: e.ends_at, url: `${el.dataset.eventsUrl}${e.id}/`, classNames: ["bl-act-event"],
          backgroundColor: e.status === "cancelled" ? COLOURS.cancelled : COLOURS.event,
          borderColor: e.status === "cancelled" ? COLOURS.cancelled : COLOURS.event,
          extendedProps: { detail: [e.status === "cancelled" ? "Cancelled" : "", e.location].filter(Boolean).join(" · ") } }));
        (bookings.items || []).filter((b) => b.starts_at).forEach((b) => out.push(bookingEvent(b, el.dataset.bookingUrl)));
        success(out);
      } catch (err) { showError(el, err.message); failure(err); }
    },
  });
  calendar.render();
  if (controls) controls.addEventListener("change", () => calendar.refetchEvents());
}

// --- a workspace's bookings ---------------------------------------------------------------------------

function bookingCalendar(el) {
  const calendar = new Calendar(el, {
    ...baseOptions(el),
    events: async (info, success, failure) => {
      try {
        const page = await api("GET", `/api/v1/bookings?${bookingsQuery(el, info)}`);
        showError(el, "");
        success((page.items || []).filter((b) => b.starts_at).map((b) => bookingEvent(b, el.dataset.bookingUrl)));
      } catch (err) { showError(el, err.message); failure(err); }
    },
  });
  calendar.render();
}

document.querySelectorAll("[data-calendar=person]").forEach(personCalendar);
document.querySelectorAll("[data-calendar=bookings]").forEach(bookingCalendar);
document.querySelectorAll("[data-calendar=act]").forEach(actCalendar);
