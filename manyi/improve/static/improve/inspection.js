// Carrying out an inspection or a mystery shop on a phone with a poor connection: every
// answer, note and photo is kept in the browser (IndexedDB) as it is given, and the whole
// is sent when the inspector presses Send — or, offline, as soon as the connection
// returns. The submission key travels with it, so a report sent twice is stored once.
(function () {
  "use strict";

  var form = document.querySelector("[data-inspection-form]");
  if (!form || !window.indexedDB || !window.fetch || !window.FormData) return;

  var storeName = "drafts";
  var draftId = form.dataset.inspectionForm;
  var status = document.querySelector("[data-status]");
  var counter = form.querySelector("[data-count]");
  var keyField = form.querySelector("[name=submission_key]");
  var draft = { id: draftId, key: keyField.value, values: {}, files: {}, pending: false };
  var retry = null;
  var sending = false;

  function database() {
    return new Promise(function (resolve, reject) {
      var opening = window.indexedDB.open("manyi-inspections", 1);
      opening.onupgradeneeded = function () { opening.result.createObjectStore(storeName, { keyPath: "id" }); };
      opening.onsuccess = function () { resolve(opening.result); };
      opening.onerror = function () { reject(opening.error); };
    });
  }

  function withStore(mode, work) {
    return database().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(storeName, mode);
        var request = work(transaction.objectStore(storeName));
        transaction.oncomplete = function () { resolve(request && request.result); };
        transaction.onerror = function () { reject(transaction.error); };
        transaction.onabort = function () { reject(transaction.error); };  // e.g. storage full
      });
    });
  }

  function keep() { return withStore("readwrite", function (store) { return store.put(draft); }); }
  function forget() { return withStore("readwrite", function (store) { return store.delete(draftId); }); }
  function stored() { return withStore("readonly", function (store) { return store.get(draftId); }); }

  function say(text, kind) {
    status.hidden = !text;
    status.textContent = text || "";
    status.className = "alert alert-" + (kind || "info");
  }

  function items() { return Array.prototype.slice.call(form.querySelectorAll("[data-item]")); }

  function answered(item) { return !!item.querySelector("input[type=radio]:checked"); }

  function count() {
    var all = items(), done = all.filter(answered).length;
    counter.textContent = counter.dataset.template
      .replace("{done}", done).replace("{all}", all.length);
  }

  function showFiles(item) {
    var names = ["photo", "audio"].map(function (kind) {
      var kept = draft.files[kind + "-" + item.dataset.item];
      return kept ? kept.name : "";
    }).filter(Boolean);
    item.querySelector("[data-files]").textContent = names.join(" · ");
  }

  function restore() {
    Object.keys(draft.values).forEach(function (name) {
      var value = draft.values[name];
      form.querySelectorAll("[name='" + name + "']").forEach(function (field) {
        if (field.type === "radio") field.checked = field.value === value;
        else field.value = value;
      });
    });
    keyField.value = draft.key;
    items().forEach(showFiles);
  }

  function remember(event) {
    var field = event.target;
    if (!field.name || field.name === "submission_key" || field.name === "csrfmiddlewaretoken") return;
    if (field.type === "file") {
      if (field.files.length) draft.files[field.name] = { blob: field.files[0], name: field.files[0].name };
      else delete draft.files[field.name];
      showFiles(field.closest("[data-item]"));
    } else if (field.type !== "radio" || field.checked) {
      draft.values[field.name] = field.value;
    }
    var item = field.closest("[data-item]");
    if (item && answered(item)) item.classList.remove("is-missing");
    count();
    keep().then(function () { if (!draft.pending) say(form.dataset.kept, "info"); });
  }

  function later() {
    if (retry) return;
    retry = window.setTimeout(function () { retry = null; send(); }, 15000);
  }

  function send() {
    if (!draft.pending || sending) return;
    sending = true;
    var body = new FormData();
    var token = form.querySelector("[name=csrfmiddlewaretoken]").value;
    body.append("csrfmiddlewaretoken", token);
    body.append("submission_key", draft.key);
    Object.keys(draft.values).forEach(function (name) { body.append(name, draft.values[name]); });
    Object.keys(draft.files).forEach(function (name) {
      body.append(name, draft.files[name].blob, draft.files[name].name);
    });
    say(form.dataset.sending, "info");
    window.fetch(window.location.href, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": token },
    }).then(function (response) {
      var reply = { status: response.status, redirected: response.redirected, data: {} };
      return response.json().then(function (data) { reply.data = data; return reply; },
                                  function () { return reply; });
    }).then(function (reply) {
      sending = false;
      if (reply.data.stored) {
        var go = function () { window.location.assign(reply.data.url); };
        return forget().then(go, go);
      }
      if (reply.status === 400) {  // refused: the inspector must change something
        draft.pending = false;
        keep();
        say(form.dataset.refused + " " + (reply.data.error || ""), "danger");
        return;
      }
      if (reply.redirected || reply.status === 401 || reply.status === 403) {
        say(form.dataset.signIn, "danger");  // kept here; sent again once signed in
        return;
      }
      say(form.dataset.offline, "warning");  // the server is away or busy: try again
      later();
    }).catch(function () {
      sending = false;
      say(form.dataset.offline, "warning");
      later();
    });
  }

  form.addEventListener("change", remember);
  form.addEventListener("input", function (event) { if (event.target.tagName === "TEXTAREA") remember(event); });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var missing = items().filter(function (item) { return !answered(item); });
    items().forEach(function (item) { item.classList.toggle("is-missing", missing.indexOf(item) >= 0); });
    if (missing.length) {
      say(form.dataset.missing, "danger");
      missing[0].scrollIntoView({ block: "center" });
      return;
    }
    draft.pending = true;
    keep().then(send, send);
  });
  window.addEventListener("online", send);
  form.noValidate = true;  // the script says what is missing, in the page's language

  stored().then(function (found) {
    if (found) {
      draft = found;
      restore();
      say(draft.pending ? form.dataset.offline : form.dataset.restored, draft.pending ? "warning" : "info");
      send();
    }
    count();
  }, count);
})();
