// 灾情报送 (灾害信息员): an open event, the kind of report, when, the figures of the
// national form for my village, a note and photos.
const { withCommon } = require('../../utils/page');
const disaster = require('../../logic/disaster');

function today() {
  const now = new Date(Date.now() + 8 * 3600 * 1000); // Beijing time
  return { date: now.toISOString().slice(0, 10), time: now.toISOString().slice(11, 16) };
}

Page(
  withCommon({
    needsSignIn: true,
    data: {
      events: [],
      eventIndex: 0,
      kinds: disaster.REPORT_KINDS,
      kindIndex: 0,
      date: '',
      time: '',
      region: null,
      indicators: disaster.emptyIndicators(),
      note: '',
      photos: [],
      errors: {},
      busy: false,
      loaded: false,
    },
    async onLoad() {
      const user = getApp().api.currentUser();
      this.setData({ ...today(), region: (user && user.region) || null });
      try {
        this.setData({ events: await disaster.openEvents(getApp().api), loaded: true });
      } catch (error) {
        this.showError(error);
      }
    },
    chooseEvent(event) {
      this.setData({ eventIndex: Number(event.detail.value) });
    },
    chooseKind(event) {
      this.setData({ kindIndex: Number(event.detail.value) });
    },
    chooseDate(event) {
      this.setData({ date: event.detail.value });
    },
    chooseTime(event) {
      this.setData({ time: event.detail.value });
    },
    onIndicator(event) {
      this.setData({ [`indicators[${event.currentTarget.dataset.index}].value`]: event.detail.value });
    },
    onNote(event) {
      this.setData({ note: event.detail.value });
    },
    addPhoto() {
      wx.chooseMedia({
        count: 9 - this.data.photos.length,
        mediaType: ['image'],
        sourceType: ['camera', 'album'],
        sizeType: ['compressed'],
        success: ({ tempFiles }) => {
          this.setData({ photos: [...this.data.photos, ...tempFiles.map((file) => file.tempFilePath)] });
        },
      });
    },
    async send() {
      const event = this.data.events[this.data.eventIndex];
      if (!event || !this.data.region) return;
      this.setData({ busy: true });
      const form = {
        regionCode: this.data.region.code,
        kind: disaster.REPORT_KINDS[this.data.kindIndex].kind,
        occurredAt: `${this.data.date}T${this.data.time}:00+08:00`,
        indicators: this.data.indicators,
        note: this.data.note,
      };
      const outcome = await disaster.sendReport(getApp().api, event.id, form, this.data.photos);
      this.setData({ busy: false, errors: outcome.errors });
      if (outcome.created || outcome.queued) {
        wx.showModal({ title: outcome.queued ? '已保存' : '已报送', content: outcome.message || '报告已报送,请按时续报。', showCancel: false });
        this.setData({ photos: [], note: '' });
      } else {
        this.showError(outcome);
      }
    },
  }),
);
