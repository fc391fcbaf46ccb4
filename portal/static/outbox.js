// 待发送: what was filled in on the phone waits in IndexedDB (idb-keyval) until it is sent,
// in the order it was made, each step with its own Idempotency-Key kept beside it. A reload,
// a closed page or a dropped connection loses nothing, and a repeat creates nothing twice:
// the server answers a known key with its first answer.
//
// An application job: {id, kind: 'application', label, body, createKey, submit,
//   files: [{kind, label, blob, name, key, attachmentId}], applicationId, version, error}
// A plain creation (a disaster report): {id, kind: 'post', label, path, body, createKey,
//   files: [], error}
(function () {
  const store = idbKeyval.createStore('minzheng-outbox', 'jobs');
  const api = window.portalApi;

  function announce() {
    count().then((n) => {
      document.querySelectorAll('[data-outbox-count]').forEach((el) => {
        el.textContent = String(n);
        el.closest('[data-outbox]') && (el.closest('[data-outbox]').hidden = n === 0);
      });
      window.dispatchEvent(new CustomEvent('outbox:change', { detail: { count: n } }));
    });
  }

  async function list() {
    const entries = await idbKeyval.entries(store);
    return entries.sort((a, b) => (a[0] < b[0] ? -1 : 1)).map((entry) => entry[1]);
  }

  async function count() {
    return (await idbKeyval.keys(store)).length;
  }

  async function add(job) {
    job.id = String(Date.now()).padStart(15, '0') + '-' + api.newKey();
    job.createKey = api.newKey();
    job.files.forEach((file) => { file.key = api.newKey(); });
    await idbKeyval.set(job.id, job, store);
    announce();
    return job;
  }

  async function remove(id) {
    await idbKeyval.del(id, store);
    announce();
  }

  const save = (job) => idbKeyval.set(job.id, job, store);

  async function sendApplication(job, progress) {
    if (!job.applicationId) {
      const created = await api.post('/applications', job.body, { key: job.createKey });
      job.applicationId = created.id;
      job.version = created.version;
      await save(job);
    }
    for (const [index, file] of job.files.entries()) {
      if (file.attachmentId) continue;
      const form = new FormData();
      form.append('kind', file.kind);
      form.append('file', file.blob, file.name);
      const path = '/applications/' + job.applicationId + '/attachments';
      const sent = await api.upload(path, form, file.key, (fraction) => progress(job, index, fraction));
      file.attachmentId = sent.id;
      await save(job);
    }
    if (job.submit) {
      await mandateChecked(job);
      const current = await api.get('/applications/' + job.applicationId);
      if (current.allowed_actions.includes('submit')) {
        await api.post('/applications/' + job.applicationId + '/actions',
          { action: 'submit', version: current.version });
      }
    }
    return job.applicationId;
  }

  // A case filed for someone is submitted only once their 委托书 has passed the server's
  // check (the resident's consent comes before their data is sent on): wait for it.
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  async function mandateChecked(job) {
    const mandate = job.files.find((file) => file.kind === 'mandate' && file.attachmentId);
    for (let tries = 0; mandate && tries < 60; tries += 1) {
      const file = await api.get('/attachments/' + mandate.attachmentId);
      if (file.status === 'ready' || file.status === 'rejected') return;
      await sleep(1500);
    }
  }

  async function sendPost(job) {
    await api.post(job.path, job.body, { key: job.createKey });
    return null;
  }

  const SENDERS = { application: sendApplication, post: sendPost };

  // Sends every waiting job in order; stops at the first network failure (the rest waits
  // for the network); a refusal (4xx) is kept on its job for the person to see.
  async function runAll(progress) {
    for (const job of await list()) {
      try {
        const applicationId = await SENDERS[job.kind](job, progress);
        await remove(job.id);
        window.dispatchEvent(new CustomEvent('outbox:sent', { detail: { job, applicationId } }));
      } catch (error) {
        if (error.code === 'network_error') break;
        job.error = error.message;
        await save(job);
        window.dispatchEvent(new CustomEvent('outbox:failed', { detail: { job, error } }));
      }
    }
    announce();
  }

  // Passes run one after another (and one at a time across the device's tabs, with Web
  // Locks where the browser has them): a job added while a pass is under way is sent by
  // the pass its caller asked for, never skipped by the one already running.
  let passes = Promise.resolve();
  function run(progress = () => {}) {
    if (!navigator.onLine) return Promise.resolve();
    const work = () => runAll(progress);
    passes = passes
      .then(() => (navigator.locks ? navigator.locks.request('minzheng-outbox', work) : work()))
      .catch(() => null);
    return passes;
  }

  window.addEventListener('online', () => run());
  document.addEventListener('DOMContentLoaded', () => { announce(); run(); });

  window.portalOutbox = { add, list, count, remove, run };
})();
