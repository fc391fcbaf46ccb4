// 低保申请: the applicant, the household (按户施保) and the village; then the materials.
const { caseForm } = require('../../utils/page');
const applications = require('../../logic/applications');
const labels = require('../../logic/labels');
const selfcheck = require('../../logic/selfcheck');

const RELATIONS = Object.entries(labels.RELATION)
  .filter(([value]) => value !== 'self')
  .map(([value, label]) => ({ value, label }));

Page(
  caseForm({
    data: {
      areaTypes: selfcheck.AREA_TYPES,
      areaIndex: 0,
      relations: RELATIONS,
      agent: false,
      form: { name: '', id_number: '', phone: '', monthly_income: '0', area_type: 'rural', region_code: '', on_behalf: false },
      members: [],
      errors: {},
      busy: false,
    },
    chooseArea(event) {
      const areaIndex = Number(event.detail.value);
      this.setData({ areaIndex, 'form.area_type': selfcheck.AREA_TYPES[areaIndex].value });
    },
    onMemberInput(event) {
      const { index, field } = event.currentTarget.dataset;
      this.setData({ [`members[${index}].${field}`]: event.detail.value });
    },
    chooseRelation(event) {
      const { index } = event.currentTarget.dataset;
      const relation = RELATIONS[Number(event.detail.value)];
      this.setData({ [`members[${index}].relation`]: relation.value, [`members[${index}].relationLabel`]: relation.label });
    },
    addMember() {
      this.setData({ members: [...this.data.members, { ...applications.emptyMember(), relationLabel: labels.RELATION.child }] });
    },
    removeMember(event) {
      const index = event.currentTarget.dataset.index;
      this.setData({ members: this.data.members.filter((_, i) => i !== index) });
    },
    save() {
      return this.openCase(applications.dibaoBody(this.data.form, this.data.members));
    },
  }),
);
