// 户籍所在村(社区): township, then village, loaded from /regions one level at a time.
const regions = require('../../logic/regions');

Component({
  options: { addGlobalClass: true },
  properties: { error: { type: String, value: '' } },
  data: { townships: [], villages: [], townshipIndex: -1, villageIndex: -1, loadError: '' },
  lifetimes: {
    async attached() {
      try {
        const [county] = await regions.children(getApp().api, null);
        this.setData({ townships: await regions.children(getApp().api, county.code) });
      } catch (error) {
        this.setData({ loadError: error.message });
      }
    },
  },
  methods: {
    async chooseTownship(event) {
      const townshipIndex = Number(event.detail.value);
      const township = this.data.townships[townshipIndex];
      this.setData({ townshipIndex, villageIndex: -1, villages: [] });
      this.triggerEvent('change', { code: '', name: '' });
      try {
        this.setData({ villages: await regions.children(getApp().api, township.code) });
      } catch (error) {
        this.setData({ loadError: error.message });
      }
    },
    chooseVillage(event) {
      const villageIndex = Number(event.detail.value);
      const village = this.data.villages[villageIndex];
      this.setData({ villageIndex });
      this.triggerEvent('change', { code: village.code, name: village.name });
    },
  },
});
