// 代办工作台: the village's residents and their cases, what waits on the agent, and the
// outbox of what was filled in without signal. Offline, the last list seen is shown.
document.addEventListener('alpine:init', () => {
  const api = window.portalApi;
  const outbox = window.portalOutbox;
  const LAST_SEEN = 'minzheng.agent-cases';

  // Why a case waits on the agent, from what the API says of it.
  function waitingReason(item) {
    if (item.allowed_actions.includes('resubmit')) return '已退回,请补正后重新提交';
    if (item.allowed_actions.includes('submit')) return '草稿,尚未提交';
    if (item.materials && item.materials.missing > 0) return '材料未齐 ' + item.materials.missing + ' 份';
    return null;
  }

  function view(item) {
    const labels = window.portalLabels;
    return {
      id: item.id,
      href: '/cases/' + item.id,
      applicant: item.applicant.name,
      title: labels.word('program', item.type) + ' ' + item.number + ' · ' + item.applicant.name,
      statusLabel: labels.word('status', item.status),
      why: waitingReason(item),
    };
  }

  Alpine.data('agent', () => ({
    user: null,
    cases: [],
    stale: false,
    get greeting() {
      return this.user ? this.user.name + (this.user.region ? '(' + this.user.region.name + ')' : '') : '';
    },
    get waiting() { return this.cases.filter((item) => item.why); },
    get hasWaiting() { return this.waiting.length > 0; },
    get noWaiting() { return this.waiting.length === 0; },
    get noCases() { return this.cases.length === 0; },
    get residents() {
      const byName = {};
      this.cases.forEach((item) => {
        (byName[item.applicant] = byName[item.applicant] || { key: item.applicant, name: item.applicant, cases: [] })
          .cases.push(item);
      });
      return Object.values(byName);
    },
    async init() {
      this.user = await api.requireMe();
      if (!this.user) return;
      try {
        const page = await api.get('/applications?limit=100');
        this.cases = page.items.map(view);
        localStorage.setItem(LAST_SEEN, JSON.stringify(this.cases));
      } catch (error) {
        this.cases = JSON.parse(localStorage.getItem(LAST_SEEN) || '[]');
        this.stale = true;
      }
      window.addEventListener('outbox:sent', () => this.init());
    },
  }));

  Alpine.data('outboxPage', () => ({
    jobs: [],
    message: '',
    get hasJobs() { return this.jobs.length > 0; },
    get empty() { return this.jobs.length === 0; },
    async init() {
      await this.refresh();
      window.addEventListener('outbox:change', () => this.refresh());
    },
    async refresh() {
      this.jobs = (await outbox.list()).map((job) => ({
        id: job.id,
        label: job.label,
        error: job.error || '',
        state: job.applicationId ? '已建档,照片待传' : '等待发送',
        detail: '照片 ' + job.files.length + ' 张 · 保存于 ' +
          new Date(Number(job.id.split('-')[0])).toLocaleString('zh-CN', { hour12: false }),
      }));
    },
    async sendNow() {
      this.message = navigator.onLine ? '' : '当前没有网络,联网后会自动发送。';
      await outbox.run();
      await this.refresh();
    },
    async drop(id) {
      if (!window.confirm('删除后无法恢复,确定删除吗?')) return;
      await outbox.remove(id);
    },
  }));
});
