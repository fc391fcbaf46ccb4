// 灾情报告 (灾害信息员): a report of the village for one disaster event, through the outbox
// so that it waits on the phone without signal; the figures are checked by the API.
document.addEventListener('alpine:init', () => {
  const api = window.portalApi;
  const outbox = window.portalOutbox;
  const INDICATORS = [
    ['affected_population', '受灾人口(人)'], ['deaths', '死亡人口(人)'], ['missing', '失踪人口(人)'],
    ['relocated', '紧急转移安置(人)'], ['need_emergency_aid', '需紧急生活救助(人)'],
    ['collapsed_households', '倒塌房屋(户)'], ['collapsed_rooms', '倒塌房屋(间)'],
    ['severely_damaged_rooms', '严重损坏房屋(间)'], ['generally_damaged_rooms', '一般损坏房屋(间)'],
    ['crop_affected_ha', '农作物受灾面积(公顷)'], ['crop_disaster_ha', '农作物成灾面积(公顷)'],
    ['crop_failure_ha', '农作物绝收面积(公顷)'], ['direct_loss_10k_yuan', '直接经济损失(万元)'],
  ];
  const EVENTS_KEY = 'minzheng.disaster-events';

  Alpine.data('disasterReport', () => ({
    user: null,
    events: [],
    eventId: '',
    kind: 'initial',
    occurredAt: '',
    note: '',
    values: Object.fromEntries(INDICATORS.map(([name]) => [name, '0'])),
    indicators: INDICATORS.map(([name, label]) => ({ name, label })),
    errors: {},
    message: '',
    get indicatorErrors() {
      return Object.keys(this.errors).filter((key) => key.startsWith('indicators'))
        .map((key) => this.errors[key]).join(';');
    },
    async init() {
      this.user = await api.requireMe();
      if (!this.user) return;
      try {
        this.events = (await api.get('/disaster-events?limit=100')).items;
        localStorage.setItem(EVENTS_KEY, JSON.stringify(this.events));
      } catch (error) {
        this.events = JSON.parse(localStorage.getItem(EVENTS_KEY) || '[]');
        if (!this.events.length) this.message = error.message;
      }
      if (this.events.length) this.eventId = String(this.events[0].id);
      window.addEventListener('outbox:failed', (event) => {
        if (event.detail.job.kind === 'post') this.message = event.detail.error.message;
      });
    },
    async send() {
      this.errors = {};
      this.message = '';
      if (!this.eventId) { this.errors = { event: '请选择灾害事件' }; return; }
      const indicators = Object.fromEntries(Object.entries(this.values)
        .map(([name, value]) => [name, String(value).trim()]));
      const body = {
        region_code: this.user.region ? this.user.region.code : null,
        kind: this.kind,
        occurred_at: this.occurredAt ? new Date(this.occurredAt).toISOString() : null,
        indicators,
        note: this.note.trim(),
      };
      const event = this.events.find((item) => String(item.id) === this.eventId);
      await outbox.add({
        kind: 'post',
        label: '灾情报告 · ' + (event ? event.name : ''),
        path: '/disaster-events/' + this.eventId + '/reports',
        body,
        files: [],
      });
      await outbox.run();
      this.message = navigator.onLine ? '' : '已保存在手机上,联网后自动发送。';
    },
  }));
});
