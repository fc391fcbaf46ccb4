// The materials viewer: one material at a time at its review size, zoom and rotate, accept
// or send back for re-upload with a comment, then on to the next — all by keyboard too.
(function () {
  const { label, flash } = window.staffUi;
  const dialog = document.getElementById('viewer');
  const image = document.getElementById('viewer-image');
  const comment = document.getElementById('review-comment');
  const ZOOMS = [0.5, 0.75, 1, 1.5, 2, 3, 4];
  let materials = [];
  let index = 0;
  let zoom = 2; // ZOOMS[2] = 1
  let turn = 0;
  let busy = false;
  let onReviewed = () => {};

  function source(material) {
    const variant = material.variants.includes('review') ? 'review' : 'original';
    return `/api/v1/attachments/${material.id}/content?variant=${variant}`;
  }

  function place() {
    image.style.transform = `rotate(${turn * 90}deg) scale(${ZOOMS[zoom]})`;
  }

  function show(n) {
    index = (n + materials.length) % materials.length;
    const material = materials[index];
    zoom = 2;
    turn = 0;
    place();
    document.getElementById('viewer-title').textContent = `${material.kind_label}:${material.filename || ''}`;
    document.getElementById('viewer-position').textContent = `第 ${index + 1} / ${materials.length} 份`;
    const state = document.getElementById('viewer-state');
    state.textContent = label('review', material.review_status);
    state.className = 'tag ' + ({ accepted: 'good', needs_reupload: 'bad' }[material.review_status] || 'warn');
    image.alt = `${material.kind_label}审核图`;
    image.src = material.status === 'ready' ? source(material) : '';
    comment.value = material.review_comment || '';
    const reviewable = material.status === 'ready';
    document.getElementById('review-accept').disabled = !reviewable;
    document.getElementById('review-reupload').disabled = !reviewable;
  }

  async function review(verdict) {
    if (busy) return; // one verdict at a time: a second key press must not judge twice
    const material = materials[index];
    if (verdict === 'needs_reupload' && !comment.value.trim()) {
      flash('要求重新上传时请填写原因', 'error');
      comment.focus();
      return;
    }
    busy = true;
    try {
      const answer = await window.staffApi.post(`/attachments/${material.id}/review`, {
        verdict,
        comment: comment.value.trim(),
      });
      materials[index] = answer;
      flash(`${material.kind_label}:${label('review', answer.review_status)}`, 'ok');
      onReviewed(answer);
      const next = materials.findIndex((m, n) => n > index && m.review_status === 'unreviewed');
      if (next >= 0) show(next);
      else show(index);
    } catch (error) {
      flash(error.message, 'error');
    } finally {
      busy = false;
    }
  }

  function zoomBy(step) {
    zoom = Math.max(0, Math.min(ZOOMS.length - 1, zoom + step));
    place();
  }

  dialog.addEventListener('keydown', (event) => {
    if (event.target === comment) return;
    const keys = {
      ArrowRight: () => show(index + 1), ArrowLeft: () => show(index - 1),
      '+': () => zoomBy(1), '=': () => zoomBy(1), '-': () => zoomBy(-1),
      r: () => { turn = (turn + 1) % 4; place(); }, a: () => review('accepted'),
    };
    if (keys[event.key]) {
      event.preventDefault();
      keys[event.key]();
    }
  });
  document.getElementById('zoom-in').addEventListener('click', () => zoomBy(1));
  document.getElementById('zoom-out').addEventListener('click', () => zoomBy(-1));
  document.getElementById('rotate').addEventListener('click', () => { turn = (turn + 1) % 4; place(); });
  document.getElementById('prev-material').addEventListener('click', () => show(index - 1));
  document.getElementById('next-material').addEventListener('click', () => show(index + 1));
  document.getElementById('close-viewer').addEventListener('click', () => dialog.close());
  document.getElementById('review-accept').addEventListener('click', () => review('accepted'));
  document.getElementById('review-reupload').addEventListener('click', () => review('needs_reupload'));

  window.staffViewer = {
    open(list, start, reviewed) {
      materials = list.slice();
      onReviewed = reviewed || (() => {});
      dialog.showModal();
      show(start);
      document.getElementById('next-material').focus();
    },
    onClose(callback) {
      dialog.addEventListener('close', callback);
    },
  };
})();
