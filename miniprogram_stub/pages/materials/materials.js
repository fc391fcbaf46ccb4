// 上传材料: one photo (or a PDF from a chat) per upload; each is checked by the server
// in the background and shown here until it is received or refused.
const { withCommon } = require('../../utils/page');
const applications = require('../../logic/applications');
const materials = require('../../logic/materials');

Page(
  withCommon({
    needsSignIn: true,
    data: { id: null, view: null, kinds: materials.KINDS, kindIndex: 0, uploading: false, latest: null },
    onLoad(query) {
      this.setData({ id: Number(query.id) });
    },
    async onShow() {
      await this.reload();
    },
    async reload() {
      try {
        this.setData({ view: await applications.progress(getApp().api, this.data.id) });
      } catch (error) {
        this.showError(error);
      }
    },
    chooseKind(event) {
      this.setData({ kindIndex: Number(event.detail.value) });
    },
    takePhoto() {
      wx.chooseMedia({
        count: 1,
        mediaType: ['image'],
        sourceType: ['camera', 'album'],
        sizeType: ['compressed'],
        success: ({ tempFiles }) => this.send(tempFiles[0].tempFilePath),
      });
    },
    pickPdf() {
      wx.chooseMessageFile({
        count: 1,
        type: 'file',
        extension: ['pdf'],
        success: ({ tempFiles }) => this.send(tempFiles[0].path),
      });
    },
    async send(filePath) {
      this.setData({ uploading: true });
      const kind = materials.KINDS[this.data.kindIndex].kind;
      const outcome = await materials.upload(getApp().api, this.data.id, kind, filePath);
      this.setData({ uploading: false, latest: outcome.file || null });
      if (!outcome.file) {
        this.showError(outcome);
        return;
      }
      this.setData({ latest: await materials.settle(getApp().api, outcome.file.id) });
      await this.reload();
    },
    async submit() {
      const outcome = await applications.act(getApp().api, this.data.view, this.data.view.submitAction);
      if (outcome.application) {
        wx.showToast({ title: '已提交', icon: 'success' });
        wx.redirectTo({ url: `/pages/case/case?id=${this.data.id}` });
      } else {
        this.showError(outcome);
      }
    },
  }),
);
