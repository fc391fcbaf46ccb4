// 随手拍报灾: what happened, where (with the user's consent), up to three photos.
const { withCommon } = require('../../utils/page');
const disaster = require('../../logic/disaster');

const MAX_PHOTOS = 3;

Page(
  withCommon({
    needsSignIn: true,
    data: { description: '', location: null, photos: [], tips: [], errors: {}, busy: false, maxPhotos: MAX_PHOTOS },
    async onShow() {
      try {
        this.setData({ tips: await disaster.myTips(getApp().api) });
      } catch (error) {
        this.setData({ tips: [] });
      }
    },
    onInput(event) {
      this.setData({ description: event.detail.value });
    },
    async locate() {
      const location = await disaster.locate(wx);
      if (location) this.setData({ location });
      else wx.showToast({ title: '未获得位置,可在设置中允许定位', icon: 'none' });
    },
    addPhoto() {
      wx.chooseMedia({
        count: MAX_PHOTOS - this.data.photos.length,
        mediaType: ['image'],
        sourceType: ['camera', 'album'],
        sizeType: ['compressed'],
        success: ({ tempFiles }) => {
          this.setData({ photos: [...this.data.photos, ...tempFiles.map((file) => file.tempFilePath)] });
        },
      });
    },
    removePhoto(event) {
      const { index } = event.currentTarget.dataset;
      this.setData({ photos: this.data.photos.filter((_, i) => i !== index) });
    },
    async send() {
      this.setData({ busy: true });
      const { description, location, photos } = this.data;
      const outcome = await disaster.sendTip(getApp().api, { description, location, photos });
      this.setData({ busy: false, errors: outcome.errors });
      if (outcome.created || outcome.queued) {
        wx.showModal({ title: outcome.queued ? '已保存' : '已发送', content: outcome.message || '感谢您的报告,民政部门将尽快核实。', showCancel: false });
        this.setData({ description: '', photos: [] });
        await this.onShow();
      } else {
        this.showError(outcome);
      }
    },
  }),
);
