// labels.js - label PDFs: fetched with the token, opened as a blob.
import { blob, seg } from './api.js';
import { h } from './dom.js';

/** Opens /api/labels/{kind}/{barcode}?format=pdf in a new tab. */
export async function openLabel(kind, barcode, statusEl) {
  // Open the tab now, while the click still counts as the user's: a window
  // opened after an await is blocked as a pop-up.
  const win = window.open('', '_blank');
  if (statusEl) { statusEl.textContent = 'Preparing the label…'; statusEl.className = 'notice info'; statusEl.hidden = false; }
  try {
    const b = await blob(`/api/labels/${kind}/${seg(barcode)}?format=pdf`);
    const u = URL.createObjectURL(b.type ? b : new Blob([b], { type: 'application/pdf' }));
    if (win) win.location.href = u;
    else {
      const a = h('a', { href: u, download: `${barcode}-label.pdf` });
      document.body.append(a); a.click(); a.remove();
    }
    setTimeout(() => URL.revokeObjectURL(u), 60000);
    if (statusEl) statusEl.hidden = true;
  } catch (err) {
    if (win) win.close();
    if (statusEl) { statusEl.textContent = `Label: ${err.message}`; statusEl.className = 'notice error'; statusEl.hidden = false; }
  }
}

export function labelButton(kind, barcode, text = 'Print label') {
  const status = h('p.notice', { role: 'status', hidden: true });
  const btn = h('button.secondary', { type: 'button', onclick: () => openLabel(kind, barcode, status) }, text);
  return h('span.label-action', btn, status);
}
