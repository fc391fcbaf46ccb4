// 婚姻登记预约: a calendar of the office's half-days with the places left; a full one takes
// a place in line (候补), a peak date goes by ballot (摇号). The appointment page shows the
// check-in QR code (drawn on the phone, so it shows without signal), the .ics file, cancel
// and reschedule. Whether a booking is allowed is always the API's answer.
document.addEventListener('alpine:init', () => {
  const api = window.portalApi;
  const labels = window.portalLabels;
  const WEEKDAYS = '日一二三四五六';

  function dayTitle(date) {
    const day = new Date(date + 'T00:00:00');
    return (day.getMonth() + 1) + '月' + day.getDate() + '日 星期' + WEEKDAYS[day.getDay()];
  }

  // The office's slots (and its open ballots) grouped by day, as buttons to show.
  async function loadDays(officeId, service) {
    const [slots, ballots] = await Promise.all([
      api.get('/registry-offices/' + officeId + '/slots?limit=100&service=' + service),
      api.get('/registry-offices/' + officeId + '/ballots?limit=100'),
    ]);
    const open = {};
    ballots.items.filter((b) => b.status === 'open').forEach((b) => { open[b.date] = b; });
    const days = {};
    slots.items.forEach((slot) => {
      const ballot = service === 'marriage' ? open[slot.date] : undefined;
      const day = days[slot.date] || (days[slot.date] = { date: slot.date, title: dayTitle(slot.date), ballot, slots: [] });
      const full = slot.remaining <= 0;
      const period = labels.word('period', slot.period);
      const left = ballot ? '摇号' : full ? '已满 · 可候补' : '余 ' + slot.remaining;
      day.slots.push({
        id: slot.id, date: slot.date, periodCode: slot.period, period, left, full, ballot,
        css: 'slot' + (ballot ? ' ballot' : full ? ' full' : ''),
        aria: day.title + period + ',' + left,
      });
    });
    return Object.values(days);
  }

  function party(value) {
    return { name: value.name.trim(), id_number: value.id_number.trim(), phone: value.phone.trim() || null };
  }

  Alpine.data('booking', () => ({
    user: null,
    offices: [],
    officeId: '',
    service: 'marriage',
    services: Object.entries(labels.service).map(([code, label]) => ({ code, label })),
    days: [],
    chosen: null,
    partyA: { name: '', id_number: '', phone: '' },
    partyB: { name: '', id_number: '', phone: '' },
    errors: {},
    message: '',
    busy: false,
    result: null,
    get choosing() { return !this.chosen && !this.result; },
    get filling() { return Boolean(this.chosen) && !this.result; },
    get done() { return Boolean(this.result); },
    get noSlots() { return this.days.length === 0; },
    get needsPartyB() { return this.service !== 'reissue' && this.service !== 'divorce_certificate'; },
    get mode() {
      if (!this.chosen) return 'book';
      return this.chosen.ballot ? 'ballot' : this.chosen.full ? 'waitlist' : 'book';
    },
    get formTitle() { return { book: '填写双方信息', ballot: '报名摇号', waitlist: '排队候补' }[this.mode]; },
    get confirmLabel() { return { book: '确认预约', ballot: '报名摇号', waitlist: '加入候补' }[this.mode]; },
    get chosenText() { return this.chosen ? dayTitle(this.chosen.date) + ' ' + this.chosen.period : ''; },
    get doneTitle() { return this.result ? this.result.title : ''; },
    get doneText() { return this.result ? this.result.text : ''; },
    partyError(prefix) {
      return Object.keys(this.errors).filter((key) => key.startsWith(prefix))
        .map((key) => this.errors[key]).join(';');
    },
    async init() {
      this.user = await api.requireMe();
      if (!this.user) return;
      this.offices = (await api.get('/registry-offices')).items;
      if (this.offices.length) {
        this.officeId = String(this.offices[0].id);
        await this.loadSlots();
      }
    },
    async loadSlots() {
      this.chosen = null;
      try {
        this.days = await loadDays(this.officeId, this.service);
      } catch (error) {
        this.message = error.message;
      }
    },
    pick(slotId) {
      this.chosen = this.days.flatMap((day) => day.slots).find((slot) => slot.id === slotId);
      this.errors = {};
      this.message = '';
    },
    unpick() { this.chosen = null; },
    body() {
      const body = { party_a: party(this.partyA), on_behalf: this.user.role !== 'citizen' };
      if (this.needsPartyB) body.party_b = party(this.partyB);
      return body;
    },
    async confirm() {
      this.busy = true;
      this.errors = {};
      this.message = '';
      this.key = this.key || api.newKey();
      try {
        await this[this.mode]();
        this.key = null;
      } catch (error) {
        this.errors = api.fieldErrors(error);
        this.message = error.message;
        if (error.code === 'slot_full') await this.loadSlots();
      } finally {
        this.busy = false;
      }
    },
    async book() {
      const body = Object.assign({ slot_id: this.chosen.id, service: this.service }, this.body());
      const booked = await api.post('/appointments', body, { key: this.key });
      location.assign('/appointments/' + booked.id);
    },
    async ballot() {
      const ballot = this.chosen.ballot;
      await api.post('/registry-offices/' + this.officeId + '/ballots/' + ballot.id + '/entries',
        this.body(), { key: this.key });
      this.result = { title: '已报名摇号', text: '摇号结果将通过消息通知双方。' };
    },
    async waitlist() {
      const body = Object.assign({ service: this.service }, this.body());
      await api.post('/slots/' + this.chosen.id + '/waitlist', body, { key: this.key });
      this.result = { title: '已加入候补', text: '有人取消时按排队顺序通知您,请在保留时间内确认。' };
    },
  }));

  Alpine.data('appointment', () => ({
    id: null,
    item: {},
    loaded: false,
    message: '',
    rescheduling: false,
    days: [],
    get serviceLabel() { return labels.word('service', this.item.service); },
    get statusLabel() { return labels.word('status', this.item.status); },
    get when() {
      const slot = this.item.slot;
      return slot ? dayTitle(slot.date) + ' ' + labels.word('period', slot.period) + ' ' + slot.starts_at + '–' + slot.ends_at : '';
    },
    get officeName() { return this.item.slot ? this.item.slot.office_name : ''; },
    get partiesText() {
      return [this.item.party_a, this.item.party_b].filter(Boolean).map((p) => p.name).join('、');
    },
    get isBooked() { return this.item.status === 'booked'; },
    get hasCode() { return this.isBooked && Boolean(this.item.checkin_code); },
    get icsUrl() { return '/api/v1/appointments/' + this.id + '/ics'; },
    async init() {
      this.id = this.$el.dataset.appointmentId;
      if (!(await api.requireMe())) return;
      await this.load();
    },
    async load() {
      try {
        this.item = await api.get('/appointments/' + this.id);
        this.loaded = true;
        this.$nextTick(() => this.drawQr());
      } catch (error) {
        this.message = error.message;
      }
    },
    drawQr() {
      if (!this.hasCode) return;
      const qr = qrcode(0, 'M');
      qr.addData(this.item.checkin_code);
      qr.make();
      const cell = 6;
      const canvas = this.$refs.qr;
      canvas.width = canvas.height = (qr.getModuleCount() + 4) * cell;
      const context = canvas.getContext('2d');
      context.fillStyle = '#fff';
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.translate(2 * cell, 2 * cell);
      qr.renderTo2dContext(context, cell);
    },
    async cancel() {
      if (!window.confirm('确定取消这次预约吗?')) return;
      await this.act(() => api.post('/appointments/' + this.id + '/cancel'));
    },
    async startReschedule() {
      this.rescheduling = true;
      this.days = await loadDays(this.item.slot.office_id, this.item.service);
    },
    async moveTo(slotId) {
      await this.act(async () => {
        const moved = await api.post('/appointments/' + this.id + '/reschedule', { slot_id: slotId });
        location.assign('/appointments/' + moved.id);
      });
    },
    async act(work) {
      this.message = '';
      try {
        await work();
        this.rescheduling = false;
        await this.load();
      } catch (error) {
        this.message = error.message;
      }
    },
  }));
});
