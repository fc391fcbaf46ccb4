// 保障标准: the county's 低保 standards with their history and the elderly bands; county
// staff publish a new standard from a date.
(function () {
  const { h, boot, fail, flash, label, table, onSubmit, formData, today } = window.staffUi;
  const UNITS = { month: '元/人·月', year: '元/人·年' };

  function state(standard) {
    if (standard.in_force) return h('span', { class: 'tag good' }, '执行中');
    if (standard.effective_from > today()) return h('span', { class: 'tag warn' }, '待执行');
    return h('span', { class: 'tag' }, '已替代');
  }

  async function load() {
    const standards = await window.staffApi.get('/standards');
    document.getElementById('dibao-title').textContent = `${standards.county_name}低保标准(含历史)`;
    document.getElementById('dibao').replaceChildren(table(['地区', '标准', '折合每月', '执行日期', '状态'],
      standards.dibao.map((s) => [label('area', s.area_type), `${s.amount} ${UNITS[s.unit]}`, `${s.monthly_equivalent} 元`,
        s.effective_from, state(s)]),
      '尚无标准'));
    document.getElementById('bands').replaceChildren(table(['年龄', '每月金额', '执行日期'],
      standards.elderly_bands.map((b) => [b.max_age ? `${b.min_age}–${b.max_age} 周岁` : `${b.min_age} 周岁以上`, `${b.monthly_amount} 元`, b.effective_from]),
      '尚无标准'));
  }

  onSubmit(document.getElementById('standard-form'), async (form) => {
    const added = await window.staffApi.post('/standards', formData(form));
    flash(`已发布:${label('area', added.area_type)}${added.amount} ${UNITS[added.unit]},自 ${added.effective_from} 起执行`, 'ok');
    form.reset();
    await load();
  });

  boot(['township_staff', 'county_staff'])
    .then((me) => {
      document.getElementById('standard-form').hidden = me.role !== 'county_staff';
      return load();
    })
    .catch(fail);
})();
