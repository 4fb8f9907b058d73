// The dashboard's words in Chinese and English (names of stations, districts and categories
// come from the API in both languages). A function takes the number it counts.
export const TEXT = {
  zh: {
    title: '北京市空气质量实时发布', updated: '数据时间', cityNow: '全市实时空气质量指数',
    primary: '首要污染物', stationsReporting: '参与计算站点', missing: '缺测', none: '无',
    ytdPm25: '今年以来 PM2.5 累计浓度', yoy: '同比', lastYear: '去年同期', goodDays: '优良天数',
    map: '站点实时 AQI', stations: '各站点', station: '站点', district: '区', category: '类别',
    calendar: '空气质量日历', ranking: 'PM2.5 各区排名', composite: '综合指数',
    series: '全市近7日逐时浓度', footer: '依据 HJ 633 (AQI)、HJ 663 (评价)、GB 3095 (标准限值)；实时 AQI 按发布时刻所在标准计算',
    mapCentre: (n) => `注：${n} 个站点无经纬度，标在所在区的中心附近（位置为示意）。`, noMap: '未配置区界 GeoJSON（lantian serve --geojson）。',
    notOnMap: '不在地图中', lang: 'EN', up: '上升', down: '下降',
  },
  en: {
    title: 'Beijing air quality, live', updated: 'Data hour', cityNow: 'City real-time AQI',
    primary: 'Primary pollutant', stationsReporting: 'Stations averaged', missing: 'missing', none: 'none',
    ytdPm25: 'PM2.5 so far this year', yoy: 'Year on year', lastYear: 'a year earlier', goodDays: 'Excellent or good days',
    map: 'Stations, real-time AQI', stations: 'Stations', station: 'Station', district: 'District', category: 'Category',
    calendar: 'AQI calendar', ranking: 'Districts by PM2.5', composite: 'Composite index',
    series: 'City hourly concentrations, last 7 days', footer: 'HJ 633 (AQI), HJ 663 (assessment), GB 3095 (limits); the real-time AQI uses the edition in force at each hour',
    mapCentre: (n) => `${n} ${n === 1 ? 'station has' : 'stations have'} no coordinates and ${n === 1 ? 'is' : 'are'} drawn near ${n === 1 ? 'its' : 'their'} district's centre (approximate position${n === 1 ? '' : 's'}).`, noMap: 'No district GeoJSON configured (lantian serve --geojson).',
    notOnMap: 'Not on the map', lang: '中文', up: 'up', down: 'down',
  },
};
