/* make preview: reload on a new version (the URL's #/N keeps the slide), show a build error. */
(function () {
  /* the overlay's look, inline (over whatever the deck's styles say) */
  var STYLES = {
    overlay: "position:fixed;inset:0;z-index:2147483647;" +
      "background:rgba(11,61,110,.88);display:flex;align-items:center;justify-content:center;" +
      "font:16px/1.45 'Source Sans Pro',Helvetica,Arial,sans-serif;",
    panel: "background:#fff;color:#1a1a1a;max-width:min(1100px,92vw);max-height:86vh;" +
      "overflow:auto;padding:24px 28px;border-radius:6px;border-top:6px solid #B3261E;" +
      "box-shadow:0 8px 30px rgba(0,0,0,.35);text-align:left;",
    title: "margin:0 0 12px;font-size:22px;color:#B3261E;",
    message: "white-space:pre-wrap;word-break:break-word;margin:0 0 14px;" +
      "font:15px/1.45 'Source Sans Pro',Helvetica,Arial,sans-serif;",
    note: "margin:0;color:#555;font-size:14px;",
    notice: "position:fixed;top:8px;right:8px;z-index:2147483647;" +
      "background:#0B3D6E;color:#fff;padding:4px 10px;border-radius:4px;" +
      "font:13px 'Source Sans Pro',Helvetica,Arial,sans-serif;"
  };
  var state = __STATE__;
  var seen = state.version, building = state.construyendo;
  function box(id, css) {
    var el = document.getElementById(id);
    if (!el) {
      el = document.createElement("div");
      el.id = id;
      el.style.cssText = css;
      document.body.appendChild(el);
    }
    return el;
  }
  function remove(id) {
    var el = document.getElementById(id);
    if (el) { el.parentNode.removeChild(el); }
  }
  function element(tag, css, text) {
    var el = document.createElement(tag);
    el.style.cssText = css;
    el.textContent = text;
    return el;
  }
  function show(e) {
    if (e.error) {
      var overlay = box("anm-vista-previa-error", STYLES.overlay);
      overlay.setAttribute("role", "alert");
      overlay.textContent = "";
      var panel = element("div", STYLES.panel, "");
      var message = element("pre", STYLES.message, e.error);  /* text only: no HTML from messages */
      message.className = "anm-vista-previa-mensaje";
      panel.appendChild(element("h2", STYLES.title, "La vista previa no se pudo actualizar"));
      panel.appendChild(message);
      panel.appendChild(element("p", STYLES.note,
        "Corrija el problema y guarde el archivo: la vista previa se actualiza sola. " +
        "Detrás de este aviso queda la última versión que se construyó bien."));
      overlay.appendChild(panel);
    } else {
      remove("anm-vista-previa-error");
    }
    if (e.construyendo || e.desconectado) {
      var notice = box("anm-vista-previa-aviso", STYLES.notice);
      notice.textContent = e.desconectado ? "Sin conexión con la vista previa (¿se detuvo?)" : "Actualizando…";
    } else {
      remove("anm-vista-previa-aviso");
    }
  }
  function poll() {
    /* answered when the state differs from what this page knows (or after a while) */
    fetch("__URL__?desde=" + encodeURIComponent(seen) + "&construyendo=" + (building ? 1 : 0),
          {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (e) {
      if (e.version !== seen && !e.error) {
        location.reload();  /* the same URL, #/N included: reveal.js opens that slide */
        return;
      }
      seen = e.version;
      building = e.construyendo;
      show(e);
      setTimeout(poll, 50);
    }).catch(function () {
      show({error: null, desconectado: true});
      setTimeout(poll, 1000);
    });
  }
  function begin() { show(state); poll(); }
  if (document.body) { begin(); } else { document.addEventListener("DOMContentLoaded", begin); }
})();
