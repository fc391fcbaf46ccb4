// 婚姻登记预约: service, office, a half-day with places left, both parties; then book.
const { withCommon } = require('../../utils/page');
const marriage = require('../../logic/marriage');

const emptyParty = () => ({ name: '', id_number: '', phone: '' });

Page(
  withCommon({
    needsSignIn: true,
    data: {
      services: marriage.SERVICES,
      serviceIndex: 0,
      needsPartyB: true,
      offices: [],
      officeIndex: 0,
      slots: [],
      slotIndex: -1,
      partyA: emptyParty(),
      partyB: emptyParty(),
      errors: {},
      busy: false,
    },
    async onLoad() {
      try {
        const offices = await marriage.offices(getApp().api);
        this.setData({ offices });
        await this.loadSlots();
      } catch (error) {
        this.showError(error);
      }
    },
    async loadSlots() {
      const office = this.data.offices[this.data.officeIndex];
      if (!office) return;
      const service = marriage.SERVICES[this.data.serviceIndex].service;
      this.setData({ slots: await marriage.slots(getApp().api, office.id, service), slotIndex: -1 });
    },
    chooseService(event) {
      const serviceIndex = Number(event.detail.value);
      this.setData({ serviceIndex, needsPartyB: marriage.needsPartyB(marriage.SERVICES[serviceIndex].service) });
      this.loadSlots().catch((error) => this.showError(error));
    },
    chooseOffice(event) {
      this.setData({ officeIndex: Number(event.detail.value) });
      this.loadSlots().catch((error) => this.showError(error));
    },
    chooseSlot(event) {
      this.setData({ slotIndex: Number(event.detail.value) });
    },
    onInput(event) {
      this.setData({ [event.currentTarget.dataset.field]: event.detail.value });
    },
    async book() {
      const slot = this.data.slots[this.data.slotIndex];
      if (!slot) {
        this.setData({ errors: { slot_id: '请选择预约时段' } });
        return;
      }
      this.setData({ busy: true });
      const outcome = await marriage.book(getApp().api, {
        slotId: slot.id,
        service: marriage.SERVICES[this.data.serviceIndex].service,
        partyA: this.data.partyA,
        partyB: this.data.partyB,
      });
      this.setData({ busy: false, errors: outcome.errors });
      if (outcome.appointment) {
        wx.showToast({ title: '预约成功', icon: 'success' });
        wx.switchTab({ url: '/pages/appointments/appointments' });
      } else {
        this.showError(outcome);
        if (outcome.code === 'slot_full') this.loadSlots().catch(() => null);
      }
    },
  }),
);
